// Keeps a database outage from leaking pool connections. Kysely (under MikroORM 7.2.1) releases a
// transaction's connection only after its COMMIT or ROLLBACK succeeded (kysely-org/kysely#1990, open:
// "ControlledTransaction leaks the pooled connection when ... commitTransaction or rollbackTransaction
// throws"); when PostgreSQL goes away mid-transaction both fail and the dead connection stays checked out for
// good. Enough outages and the pool is empty: every request would then wait for a connection that never comes,
// and Chairside would not recover by itself. So a checked-out client that has broken is released (and thereby
// discarded by the pool) if its user has not released it shortly after. (A pnpm patch of Kysely would replace
// this half only; the other half below still needs the pool, so both stay here, in one place.)
//
// It also tells a busy server from a database that is down. pg-pool reports both as "timeout exceeded when
// trying to connect": a request that waited its whole connection timeout for one of the pool's connections
// while every one of them was at work gets a "busy" error instead, not "the database is unavailable".
import type { Pool, PoolClient } from "pg";
import { ChairsideError } from "../errors.ts";

const GRACE_MS = 2_000;

/** Every connection the pool may open is open and checked out. */
const saturated = (pool: Pool) => pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? 10);

type ConnectCallback = (error: Error | undefined, client: PoolClient | undefined, done: () => void) => void;

export function guardPool(pool: Pool): void {
  const connect = pool.connect.bind(pool) as () => Promise<PoolClient>;
  const guarded = async () => {
    const client = await connect().catch((error: Error) => {
      throw saturated(pool) && /timeout exceeded when trying to connect/.test(error.message)
        ? new ChairsideError("SERVICE_UNAVAILABLE", "the server is busy; try again shortly")
        : error;
    });
    let released = false;
    let timer: NodeJS.Timeout | undefined;
    const release = client.release.bind(client);
    client.release = (error?: Error | boolean) => {
      clearTimeout(timer);
      if (released) return; // our own forced release came first
      released = true;
      client.off("error", onBroken);
      client.off("end", onBroken);
      release(error);
    };
    const onBroken = () => {
      clearTimeout(timer);
      timer = setTimeout(() => client.release(new Error("connection broke while checked out")), GRACE_MS);
      timer.unref();
    };
    client.on("error", onBroken);
    client.on("end", onBroken);
    return client;
  };
  // Both of pg-pool's forms: a promise, or a callback (which its own pool.query uses).
  (pool as { connect: (callback?: ConnectCallback) => Promise<PoolClient> | undefined }).connect = (callback) => {
    const connecting = guarded();
    if (!callback) return connecting;
    connecting.then(
      (client) => callback(undefined, client, () => client.release()),
      (error: Error) => callback(error, undefined, () => {}),
    );
    return undefined;
  };
}
