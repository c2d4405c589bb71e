// The databases a server instance works with, and the ORM over them: the primary (DATABASE_URL, perhaps a
// pooler), a direct connection to it (DATABASE_DIRECT_URL, for LISTEN and the role's settings), and the read
// replicas (DATABASE_REPLICA_URLS). Through a transaction-mode pooler a connection is a different server session
// at every transaction, so nothing may rely on session state: no startup options (PgBouncer refuses them), no
// named prepared statements unless the pooler keeps them (PgBouncer >= 1.21 with max_prepared_statements).
import type { Options } from "@mikro-orm/postgresql";
import pg from "pg";
import { type ConnectionsEnv, readConnectionsEnv } from "../env.ts";
import { type ChairsideOrm, createOrm } from "../orm.ts";
import type { Database } from "./database.ts";
import { describeUrl } from "./errors.ts";
import { guardPool } from "./pool-guard.ts";
import { type PoolMode, rememberPoolMode } from "./pool-mode.ts";

/**
 * What DATABASE_URL leads to (PoolMode). "session": PostgreSQL itself or a session-mode pooler (one server session
 * per connection). "transaction": a transaction-mode pooler that forgets prepared statements between transactions
 * (PgBouncer < 1.21, Supabase's pooler on port 6543); the hot reads then run unnamed, planned at each call.
 * "transaction-prepared": one that keeps them (PgBouncer >= 1.21 with max_prepared_statements > 0).
 */
export type { PoolMode };

export interface ServerDatabase {
  /** The primary, perhaps through a pooler. */
  url: string;
  /** The primary, never through a pooler. */
  directUrl: string;
  replicaUrls: readonly string[];
  /** A replica further behind than this serves no read. */
  replicaMaxLagMs?: number;
  poolMode: PoolMode;
}

export function serverDatabaseOf(
  database: Pick<Database, "url">,
  env: ConnectionsEnv = readConnectionsEnv(),
): ServerDatabase {
  return {
    url: database.url,
    directUrl: env.DATABASE_DIRECT_URL ?? database.url,
    replicaUrls: env.DATABASE_REPLICA_URLS,
    replicaMaxLagMs: env.DATABASE_REPLICA_MAX_LAG_MS,
    poolMode: env.DATABASE_POOL_MODE,
  };
}

/**
 * The settings of every server connection. A runaway query is cancelled rather than holding a connection (and a
 * user) forever. And no parallel query: a request is one statement on one connection, and the only statements big
 * enough for PostgreSQL to fan out are the tab counts, which it made slower that way, as starting the workers cost
 * more than they saved, while taking two more cores from everyone else.
 */
export const SERVER_SETTINGS = {
  statement_timeout: "15s",
  max_parallel_workers_per_gather: "0",
} as const;

/** pg's options for the server's pools: the settings as startup options where the connection is a session. */
export function serverDriverOptions(poolMode: PoolMode) {
  const startup =
    poolMode === "session"
      ? {
          statement_timeout: 15_000,
          options: Object.entries(SERVER_SETTINGS)
            .filter(([name]) => name !== "statement_timeout")
            .map(([name, value]) => `-c ${name}=${value}`)
            .join(" "),
        }
      : {};
  return { connectionTimeoutMillis: 3_000, onPoolCreated: guardPool, ...startup };
}

/** The server's connections to PostgreSQL itself (no pooler between). */
export const SERVER_DRIVER_OPTIONS = serverDriverOptions("session");

/** The server's ORM: the primary for writes and transactions, the replicas (if any) for the reads. */
export async function createServerOrm(
  database: ServerDatabase,
  overrides: Partial<Options> = {},
): Promise<ChairsideOrm> {
  if (database.poolMode !== "session") await settleRoleSettings(database.directUrl);
  const orm = await createOrm(database.url, {
    driverOptions: serverDriverOptions(database.poolMode),
    replicas: database.replicaUrls.map((clientUrl) => ({ clientUrl, name: describeUrl(clientUrl) })),
    ...overrides,
  });
  rememberPoolMode(orm, database.poolMode);
  return orm;
}

/**
 * Through a transaction pooler the settings cannot travel with the connection: they become the defaults of the
 * server's role in its database (ALTER ROLE ... IN DATABASE ... SET), which PostgreSQL applies to every session the
 * pooler opens. Ordinary roles may set their own defaults; when even that is refused, the log says what to run.
 */
async function settleRoleSettings(directUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: directUrl, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ role: string; database: string }>(
      "select current_user as role, current_database() as database",
    );
    const [{ role, database } = { role: "", database: "" }] = rows;
    for (const [name, value] of Object.entries(SERVER_SETTINGS)) {
      const statement = `alter role ${client.escapeIdentifier(role)} in database ${client.escapeIdentifier(database)} set ${name} = ${client.escapeLiteral(value)}`;
      try {
        await client.query(statement);
      } catch (error) {
        console.error(
          `chairside: could not make ${name} = ${value} the default of role ${role} (${(error as Error).message}); run: ${statement}`,
        );
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
}
