// Opens Chairside's database: the server DATABASE_URL names, or the embedded PostgreSQL by default.
import pg from "pg";
import { type DatabaseEnv, readDatabaseEnv } from "../env.ts";
import type { Log } from "../log.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { describeUrl, explainConnectionError } from "./errors.ts";

export interface Database {
  /** Connection URL of Chairside's database. */
  url: string;
  /** host:port/database, safe to print. */
  description: string;
  embedded: boolean;
  /** Stops the embedded PostgreSQL if this process started it; a no-op otherwise. */
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 5_000;

/** Connects once to prove the server is reachable, so a bad URL fails now with one clear line. */
export async function probe(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on("error", () => {}); // a server dying mid-probe surfaces through query() below
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw explainConnectionError(error, url);
  } finally {
    await client.end().catch(() => {});
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates `database` on the server behind `serverUrl` unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    const existing = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (existing.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } catch (error) {
    throw explainConnectionError(error, serverUrl);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `log`: where the embedded cluster's restarts are told (default: standard output). */
export async function openDatabase(
  env: DatabaseEnv = readDatabaseEnv(),
  options: { log?: Log } = {},
): Promise<Database> {
  if (env.DATABASE_URL) {
    await probe(env.DATABASE_URL);
    return {
      url: env.DATABASE_URL,
      description: describeUrl(env.DATABASE_URL),
      embedded: false,
      close: async () => {},
    };
  }
  const cluster = await startEmbeddedPostgres({
    dataDir: env.CHAIRSIDE_DATA_DIR,
    port: env.CHAIRSIDE_PG_PORT,
    log: options.log,
  });
  try {
    await ensureDatabase(cluster.url, "chairside");
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  const url = withDatabase(cluster.url, "chairside");
  return {
    url,
    description: `embedded PostgreSQL on ${describeUrl(url)} (data in ${cluster.dataDir}${cluster.movedBecause ? `: ${cluster.movedBecause}` : ""})`,
    embedded: true,
    close: () => cluster.stop(),
  };
}
