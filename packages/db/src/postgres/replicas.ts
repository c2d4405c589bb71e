// Which database serves a read: a streaming replica when one is usable, the primary otherwise. Writes and everything
// in a transaction always go to the primary (MikroORM's rule). A replica is usable while it answers and has
// replayed what the primary wrote at most `maxLagMs` ago; a caller who wrote reads from a replica only once it has
// replayed past that write's LSN (read-your-writes), else from the primary. With the primary down, any replica that
// answers serves the reads. Every few hundred ms a monitor samples the primary's WAL position and each replica's
// replay position (pg_current_wal_lsn, pg_last_wal_replay_lsn); a failed read marks its database down at once.
//
// MikroORM's own `replicas` hold the connections, but it picks one at random for every read outside a
// transaction, whether down, lagging or behind the caller's write; so its driver's getConnection("read") is
// answered here instead: the route chosen for the request (see `reading`), or the primary outside any route.
import { AsyncLocalStorage } from "node:async_hooks";
import type { ConnectionType } from "@mikro-orm/core";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { ChairsideOrm } from "../orm.ts";
import { describeUrl } from "./errors.ts";
import { firstRowOf, sqlFor } from "./sql.ts";

/** Where a caller's last write ended in the primary's WAL, and when it was acknowledged. */
export interface WriteMark {
  lsn: bigint;
  at: number;
}

type Connection = ReturnType<ChairsideOrm["em"]["getConnection"]>;

/** The database that serves one request's reads. */
export interface ReadRoute {
  /** "primary", or the replica's host:port/database. */
  database: string;
  connection: Connection;
}

export interface DatabaseStatus {
  name: string;
  role: "primary" | "replica";
  /** "lagging": answers, but has not replayed what the primary wrote within the bound. */
  status: "up" | "down" | "lagging";
  /** How far behind the primary a replica's replay is (null: unknown, e.g. with the primary down). */
  lagMs: number | null;
  /** Reads routed to it since the server started. */
  reads: number;
}

export interface ReadReplicaOptions {
  /** The primary, not through a pooler: its WAL position is sampled there. */
  directUrl: string;
  /** A replica further behind than this serves no read. */
  maxLagMs?: number;
  sampleEveryMs?: number;
}

export const REPLICA_DEFAULTS = { maxLagMs: 5_000, sampleEveryMs: 200 } as const;

/** The WAL positions the monitor samples: PostgreSQL's own functions, as text. */
type WalPosition = "pg_current_wal_lsn" | "pg_last_wal_replay_lsn" | "pg_current_wal_insert_lsn";

/** Tables are never read on the monitor's connections. */
type NoTables = Record<string, never>;

interface Monitored {
  name: string;
  /** A connection of its own for sampling, so that a busy pool does not read as a database that is down. */
  monitor: Kysely<NoTables>;
  up: boolean;
  reads: number;
}

interface MonitoredReplica extends Monitored {
  connection: Connection;
  replayLsn: bigint | null;
  lagMs: number | null;
}

const routes = new AsyncLocalStorage<ReadRoute>();

/** PostgreSQL's text form of an LSN ("16/B374D848") as a number. */
export function lsnOf(text: string): bigint {
  const [high = "0", low = "0"] = text.split("/");
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

function monitorOf(connectionString: string): Kysely<NoTables> {
  const pool = new pg.Pool({
    connectionString,
    max: 1,
    connectionTimeoutMillis: 1_000,
    query_timeout: 1_000,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
    application_name: "chairside-replica-monitor",
  });
  pool.on("error", () => {});
  return new Kysely<NoTables>({ dialect: new PostgresDialect({ pool }) });
}

/** `position()` as text: null on a primary for the replay position. */
function walPosition<Tables>(db: Kysely<Tables>, position: WalPosition) {
  return db.selectNoFrom((eb) => eb.cast<string | null>(eb.fn(position), "text").as("lsn"));
}

async function sample(db: Kysely<NoTables>, position: WalPosition): Promise<string | null> {
  return (await walPosition(db, position).executeTakeFirst())?.lsn ?? null;
}

export class ReadReplicas {
  readonly #orm: ChairsideOrm;
  readonly #primaryConnection: Connection;
  readonly #primary: Monitored;
  readonly #replicas: MonitoredReplica[];
  readonly #maxLagMs: number;
  readonly #sampleEveryMs: number;
  /** The primary's WAL position over the last moments, oldest first: how long ago it passed a given LSN. */
  #history: { lsn: bigint; at: number }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #sampling: Promise<void> = Promise.resolve();
  #next = 0;

  private constructor(orm: ChairsideOrm, options: ReadReplicaOptions) {
    this.#orm = orm;
    const driver = orm.em.getDriver();
    this.#primaryConnection = driver.getConnection("write");
    this.#maxLagMs = options.maxLagMs ?? REPLICA_DEFAULTS.maxLagMs;
    this.#sampleEveryMs = options.sampleEveryMs ?? REPLICA_DEFAULTS.sampleEveryMs;
    this.#primary = { name: "primary", monitor: monitorOf(options.directUrl), up: true, reads: 0 };
    const urls = (orm.config.get("replicas") ?? []).map((replica) => replica.clientUrl ?? "");
    // MikroORM made one connection per configured replica, in order (its driver keeps them protected).
    const connections = (driver as unknown as { replicas: Connection[] }).replicas;
    this.#replicas = urls.map((url, index) => ({
      name: describeUrl(url),
      monitor: monitorOf(url),
      connection: connections[index] as Connection,
      up: false,
      reads: 0,
      replayLsn: null,
      lagMs: null,
    }));
    const primary = this.#primaryConnection;
    driver.getConnection = ((type: ConnectionType = "write") =>
      type === "read" ? (routes.getStore()?.connection ?? primary) : primary) as typeof driver.getConnection;
  }

  /** Routes the reads of `orm` (a server ORM with `replicas`), or null when it has none. Samples once first. */
  static async start(orm: ChairsideOrm, options: ReadReplicaOptions): Promise<ReadReplicas | null> {
    if ((orm.config.get("replicas") ?? []).length === 0) return null;
    const replicas = new ReadReplicas(orm, options);
    await replicas.#sample();
    replicas.#schedule();
    return replicas;
  }

  /**
   * The database for a request's reads, given the caller's last write: a usable replica that has replayed past it
   * (round-robin among them), else the primary. With the primary down, any replica that answers.
   */
  route(lastWrite: WriteMark | null): ReadRoute {
    const primaryDown = !this.#primary.up;
    const candidates = this.#replicas.filter(
      (replica) =>
        replica.up &&
        (primaryDown ||
          (replica.lagMs !== null &&
            replica.lagMs <= this.#maxLagMs &&
            (lastWrite === null || (replica.replayLsn !== null && replica.replayLsn >= lastWrite.lsn)))),
    );
    const replica = candidates[this.#next++ % Math.max(1, candidates.length)];
    return replica
      ? { database: replica.name, connection: replica.connection }
      : { database: "primary", connection: this.#primaryConnection };
  }

  /** The primary did not answer a read that had to go there: a replica that answers, or null when none does. */
  insteadOfPrimary(): ReadRoute | null {
    this.#primary.up = false;
    const route = this.route(null);
    return route.database === "primary" ? null : route;
  }

  /** Runs `read` with its statements on `route`'s database (MikroORM's finds and the runner's alike). */
  reading<T>(route: ReadRoute, read: () => Promise<T>): Promise<T> {
    const served = route.database === "primary" ? this.#primary : this.#replicas.find((r) => r.name === route.database);
    if (served) served.reads++;
    return routes.run(route, read);
  }

  /** A read on `route` failed to reach its database: take it out until the monitor hears from it again. */
  unreachable(route: ReadRoute): void {
    if (route.database === "primary") this.#primary.up = false;
    const replica = this.#replicas.find((r) => r.name === route.database);
    if (replica) replica.up = false;
  }

  /** The primary's WAL position now, which a replica must have replayed to show everything committed so far. */
  async writtenUpTo(): Promise<bigint> {
    // A read outside any route: the runner sends it to the primary.
    const em = this.#orm.em.fork();
    const row = await firstRowOf(em, walPosition(sqlFor(em), "pg_current_wal_insert_lsn"));
    return lsnOf(row?.lsn ?? "0/0");
  }

  /** Every database as last sampled. */
  get status(): DatabaseStatus[] {
    return [
      {
        name: "primary",
        role: "primary",
        status: this.#primary.up ? "up" : "down",
        lagMs: null,
        reads: this.#primary.reads,
      },
      ...this.#replicas.map(
        (replica): DatabaseStatus => ({
          name: replica.name,
          role: "replica",
          status: !replica.up ? "down" : this.#usable(replica) ? "up" : "lagging",
          lagMs: replica.lagMs,
          reads: replica.reads,
        }),
      ),
    ];
  }

  /** Samples every database now (readiness), then reports them. */
  async probe(): Promise<DatabaseStatus[]> {
    await this.#sampleOnce();
    return this.status;
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#sampling;
    await Promise.all([this.#primary, ...this.#replicas].map((database) => database.monitor.destroy().catch(() => {})));
  }

  #usable(replica: MonitoredReplica): boolean {
    return replica.up && (!this.#primary.up || (replica.lagMs !== null && replica.lagMs <= this.#maxLagMs));
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#sampleOnce().finally(() => {
        if (this.#timer) this.#schedule();
      });
    }, this.#sampleEveryMs);
    this.#timer.unref();
  }

  #sampleOnce(): Promise<void> {
    this.#sampling = this.#sampling.then(() => this.#sample());
    return this.#sampling;
  }

  async #sample(): Promise<void> {
    const [primaryLsn, ...replayLsns] = await Promise.all([
      sample(this.#primary.monitor, "pg_current_wal_lsn").catch(() => undefined),
      ...this.#replicas.map((replica) => sample(replica.monitor, "pg_last_wal_replay_lsn").catch(() => undefined)),
    ]);
    const now = Date.now();
    this.#primary.up = primaryLsn !== undefined;
    if (primaryLsn) {
      const lsn = lsnOf(primaryLsn);
      const last = this.#history.at(-1);
      if (!last || last.lsn !== lsn) this.#history.push({ lsn, at: now });
      // Kept a little longer than the bound, so that a lag past it still reads as past it.
      while (this.#history.length > 1 && (this.#history[1]?.at ?? now) < now - 2 * this.#maxLagMs)
        this.#history.shift();
    } else {
      this.#history = [];
    }
    this.#replicas.forEach((replica, index) => {
      const replayed = replayLsns[index];
      replica.up = typeof replayed === "string";
      replica.replayLsn = typeof replayed === "string" ? lsnOf(replayed) : null;
      replica.lagMs = replica.replayLsn === null ? null : this.#lagOf(replica.replayLsn, now);
    });
  }

  /** How long ago the primary first held WAL this replica has not replayed (0 when it has replayed it all). */
  #lagOf(replayLsn: bigint, now: number): number | null {
    if (this.#history.length === 0) return null;
    const behind = this.#history.find((point) => point.lsn > replayLsn);
    return behind ? now - behind.at : 0;
  }
}
