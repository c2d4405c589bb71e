// Test helpers: a database of one's own, cloned from the migrated template that global-setup.ts made.
import { randomBytes } from "node:crypto";
import type { Options } from "@mikro-orm/postgresql";
import pg from "pg";
import { inject } from "vitest";
import { type ChairsideOrm, createOrm } from "../orm.ts";
import { withDatabase } from "../postgres/database.ts";
import type {} from "./provided.ts"; // the typing of inject("chairsideTestServer")

export interface TestDatabase {
  url: string;
  name: string;
  /** Runs raw SQL on the test database (for assertions that must not go through the ORM). */
  sql<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
  /** The same, in a transaction of its own with these settings (e.g. `enable_seqscan: "off"`), rolled back after. */
  sqlWithSettings<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    settings: Record<string, string>,
    text: string,
    values?: unknown[],
  ): Promise<Row[]>;
  /** EXPLAIN (format json) of the plan PostgreSQL keeps for a statement prepared by name, made for any values (a
   *  generic plan), for these values; in a transaction of its own with these settings, rolled back after. */
  genericPlan(settings: Record<string, string>, text: string, values: unknown[]): Promise<unknown>;
  /** An ORM on this database; closed by drop(). */
  orm(overrides?: Partial<Options>): Promise<ChairsideOrm>;
  /** An ORM on this database that records every SQL statement it sends (its `onQuery` hook), for tests that count
   *  them, with the values bound to each at the same index. */
  recordingOrm(overrides?: Partial<Options>): Promise<{ orm: ChairsideOrm; statements: string[]; values: unknown[][] }>;
  drop(): Promise<void>;
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated, empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { serverUrl, template } = inject("chairsideTestServer");
  const name = `test_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, (client) =>
    client.query(`create database ${client.escapeIdentifier(name)} template ${client.escapeIdentifier(template)}`),
  );
  const url = withDatabase(serverUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // An idle connection the server ended (a test stopping or restarting PostgreSQL): the next query reconnects.
  pool.on("error", () => {});
  const orms: ChairsideOrm[] = [];
  const orm = async (overrides?: Partial<Options>) => {
    const created = await createOrm(url, overrides);
    orms.push(created);
    return created;
  };
  /** `work` in a transaction of its own with these settings, rolled back after, then `cleanup` if any. */
  async function withSettings<T>(
    settings: Record<string, string>,
    work: (client: pg.PoolClient) => Promise<T>,
    cleanup?: string,
  ): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query("begin");
      for (const [name, value] of Object.entries(settings)) {
        await client.query("select set_config($1, $2, true)", [name, value]);
      }
      return await work(client);
    } finally {
      await client.query("rollback").catch(() => {});
      if (cleanup) await client.query(cleanup).catch(() => {});
      client.release();
    }
  }

  return {
    url,
    name,
    async sql(text, values) {
      return (await pool.query(text, values)).rows;
    },
    sqlWithSettings: (settings, text, values) =>
      withSettings(settings, async (client) => (await client.query(text, values)).rows),
    genericPlan: (settings, text, values) =>
      withSettings(
        { ...settings, plan_cache_mode: "force_generic_plan" },
        async (client) => {
          await client.query(`prepare generic_plan as ${text}`);
          // EXECUTE takes no bound parameters: the values go in as literals, coerced to the statement's types.
          const literal = (value: unknown) => (value === null ? "null" : client.escapeLiteral(String(value)));
          const { rows } = await client.query(
            `explain (format json) execute generic_plan${values.length ? `(${values.map(literal).join(", ")})` : ""}`,
          );
          return rows[0]?.["QUERY PLAN"];
        },
        // A prepared statement outlives the transaction's rollback.
        "deallocate all",
      ),
    orm,
    async recordingOrm(overrides) {
      const statements: string[] = [];
      const values: unknown[][] = [];
      const onQuery = (sql: string, params: readonly unknown[] = []) => {
        statements.push(sql);
        values.push([...params]);
        return sql;
      };
      return { orm: await orm({ ...overrides, onQuery }), statements, values };
    },
    async drop() {
      await Promise.all(orms.map((orm) => orm.close()));
      await pool.end();
      await onServer(serverUrl, (client) =>
        client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`),
      );
    },
  };
}

export { type PrivateCheckout, privateCheckout } from "./private-checkout.ts";
export { readsOnly } from "./statements.ts";
