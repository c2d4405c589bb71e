// Chairside's SQL: MikroORM's own Kysely, typed from the entities, and the one runner every built query goes
// through. The runner sends a query's compiled text with its values bound ($1, $2...), through the ORM's pool
// or the request's transaction, past MikroORM's `onQuery` hook and query logger like the ORM's own statements.
// The hot reads run as named prepared statements, so that PostgreSQL plans each of their shapes once per
// connection instead of at every call (MikroORM sends its own statements as text with the values inlined).
// Reads outside a transaction follow the request's route (a replica or the primary, postgres/replicas.ts).
import { createHash } from "node:crypto";
import type { ConnectionType, EntityManager, InferKyselyDB, Kysely } from "@mikro-orm/postgresql";
import { type Compilable, CompiledQuery } from "kysely";
import pg from "pg";
import type { entities } from "../entities/index.ts";
import { poolModeOf } from "./pool-mode.ts";

/** Every table the entities declare, column by column, as Kysely sees them. */
export type ChairsideTables = InferKyselyDB<(typeof entities)[number]>;

/** The query builder for `em`: inside a transaction it builds for the transaction's connection. */
export function sqlFor(em: EntityManager): Kysely<ChairsideTables> {
  return em.getKysely<ChairsideTables>();
}

/**
 * How a statement is planned. "reuse": a named prepared statement, whose plan PostgreSQL may keep (a generic
 * plan) once it costs no more than planning for the values each time; for shapes whose best plan does not
 * hinge on the values. "per-call": planned for the values at every call (a search, whose plan depends on
 * how many patients the terms match, and everything that is not hot).
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
 * A compiled statement to keep for reuse: its text and values without the syntax tree it was compiled from,
 * which holds hundreds of objects and of which `run` reads only the kind.
 */
export function toKeep<Row>(compiled: CompiledQuery<Row>): CompiledQuery<Row> {
  const { sql, parameters, queryId } = compiled;
  return { sql, parameters, queryId, query: { kind: compiled.query.kind } as CompiledQuery<Row>["query"] };
}

/** What a statement returned: its rows, and how many rows it wrote. */
export interface Outcome<Row> {
  rows: Row[];
  affected: number;
}

/**
 * Runs a built query with its values bound. Inside a transaction it runs on the transaction's connection
 * (never named: a transaction is short and its statements are writes); outside, on a connection of the ORM's
 * pool. PostgreSQL's refusals arrive as MikroORM's exceptions (a unique violation, a foreign key...).
 */
export async function run<Row>(
  em: EntityManager,
  query: Compilable<Row>,
  planning: Planning = "per-call",
): Promise<Outcome<Row>> {
  const compiled = query.compile();
  const values = [...compiled.parameters];
  // Connected first, so that what the hook and the logger see is this statement's turn on the wire.
  // Outside a transaction a SELECT is a read, which the request's route may send to a replica (replicas.ts).
  const send = em.getTransactionContext()
    ? (text: string) => inTransaction<Row>(em, text, values)
    : await onPool<Row>(em, compiled.query.kind === "SelectQueryNode" ? "read" : "write", values, planning);
  const text = em.config.get("onQuery")(compiled.sql, values);
  const logger = em.config.getLogger();
  const started = Date.now();
  try {
    const outcome = await send(text);
    logger.logQuery({ level: "info", query: text, took: Date.now() - started, results: outcome.rows.length });
    return outcome;
  } catch (error) {
    logger.logQuery({ level: "error", query: text, took: Date.now() - started });
    throw error instanceof pg.DatabaseError ? em.getPlatform().getExceptionConverter().convertException(error) : error;
  }
}

/** The rows of a built query (see `run`). */
export async function rowsOf<Row>(em: EntityManager, query: Compilable<Row>, planning?: Planning): Promise<Row[]> {
  return (await run(em, query, planning)).rows;
}

/** The first row of a built query, or undefined (see `run`). */
export async function firstRowOf<Row>(
  em: EntityManager,
  query: Compilable<Row>,
  planning?: Planning,
): Promise<Row | undefined> {
  return (await run(em, query, planning)).rows[0];
}

async function inTransaction<Row>(em: EntityManager, text: string, values: unknown[]): Promise<Outcome<Row>> {
  const result = await sqlFor(em).executeQuery<Row>(CompiledQuery.raw(text, values));
  return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0) };
}

async function onPool<Row>(
  em: EntityManager,
  connectionType: ConnectionType,
  values: unknown[],
  planning: Planning,
): Promise<(text: string) => Promise<Outcome<Row>>> {
  const pool = await em.getConnection(connectionType).getNativeClient();
  return async (text) => {
    const client = await pool.connect();
    try {
      // A transaction pooler that forgets prepared statements between transactions (PgBouncer < 1.21) would
      // answer "prepared statement ... does not exist": there even the hot reads run unnamed.
      const named = planning === "reuse" && poolModeOf(em) !== "transaction";
      const name = named ? statementName(text) : undefined;
      const result = await client.query({ name, text, values });
      client.release();
      return { rows: result.rows as Row[], affected: result.rowCount ?? 0 };
    } catch (error) {
      // PostgreSQL refusing the statement leaves the connection usable; anything else (a dropped connection)
      // discards it.
      client.release(error instanceof pg.DatabaseError ? undefined : (error as Error));
      throw error;
    }
  };
}
