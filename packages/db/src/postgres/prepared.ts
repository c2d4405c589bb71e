// Statements PostgreSQL plans once per connection, for the hottest reads (the patient list and its counts).
// MikroORM sends every statement as text with its values inlined, so PostgreSQL parses and plans it at every
// call: for a page of the list that was half of the database's work (pnpm bench, 10,000 patients: the list's
// SQL ran at 810 q/s sent that way, 1,610 q/s prepared). These statements go through the pool under the ORM
// (the same connections and limits), with their values bound rather than inlined.
import { createHash } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import pg from "pg";

/**
 * How a statement is planned. "reuse": a named prepared statement, whose plan PostgreSQL may keep (a generic
 * plan) once it costs no more than planning for the values each time; for shapes whose best plan does not
 * hinge on the values. "per-call": planned for the values at every call (a search, whose plan depends on
 * how many patients the terms match).
 */
export type Planning = "reuse" | "per-call";

/**
 * Each combination of filters, sort and page position is a shape of its own, and each named statement holds
 * a plan on every connection for as long as the connection lives. Past this many shapes, statements run
 * unnamed (planned per call), so that no sequence of requests can grow the cache without bound.
 */
const MAX_NAMED_STATEMENTS = 256;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known || statementNames.size >= MAX_NAMED_STATEMENTS) return known;
  const name = `chairside_${createHash("sha256").update(text).digest("base64url").slice(0, 20)}`;
  statementNames.set(text, name);
  return name;
}

/**
 * MikroORM's `?` placeholders as PostgreSQL's `$1, $2...`: an array value stands for a list (`in (?)`), as
 * MikroORM expands it. Quoted literals and identifiers are copied untouched.
 */
export function toPositional(sql: string, params: readonly unknown[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  let text = "";
  let next = 0;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i] as string;
    if (char === "'" || char === '"') {
      const end = sql.indexOf(char, i + 1);
      if (end === -1) throw new Error("unterminated quote in SQL");
      text += sql.slice(i, end + 1);
      i = end;
      continue;
    }
    if (char !== "?") {
      text += char;
      continue;
    }
    if (next >= params.length) throw new Error("more placeholders than parameters");
    const value = params[next++];
    const list = Array.isArray(value) ? value : [value];
    text += list.map((item) => `$${values.push(item)}`).join(", ");
  }
  if (next !== params.length) throw new Error("more parameters than placeholders");
  return { text, values };
}

/**
 * Runs a SELECT with bound values and returns its rows. Like every ORM statement it passes through the
 * `onQuery` hook and the query logger. Inside a transaction it runs on the transaction's connection through
 * the ORM, unprepared.
 */
export async function selectRows<T extends object>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
  planning: Planning,
): Promise<T[]> {
  const transaction = em.getTransactionContext();
  if (transaction) return em.getConnection().execute<T[]>(sql, [...params], "all", transaction);

  const positional = toPositional(sql, params);
  const pool = await em.getConnection().getNativeClient();
  const text = em.config.get("onQuery")(positional.text, positional.values);
  const name = planning === "reuse" ? statementName(text) : undefined;
  const logger = em.config.getLogger();
  const started = Date.now();
  const client = await pool.connect();
  try {
    const result = await client.query<T>({ name, text, values: positional.values });
    client.release();
    logger.logQuery({ level: "info", query: text, took: Date.now() - started, results: result.rowCount ?? 0 });
    return result.rows;
  } catch (error) {
    // PostgreSQL refusing the statement leaves the connection usable; anything else (a dropped connection)
    // discards it.
    client.release(error instanceof pg.DatabaseError ? undefined : (error as Error));
    logger.logQuery({ level: "error", query: text, took: Date.now() - started });
    throw error;
  }
}
