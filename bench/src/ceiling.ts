// The database's own ceiling: the exact SQL patients.list sends, replayed through pg as a named prepared
// statement on a pool the size of the server's, at the same concurrency and for the same time as the HTTP
// runs. No ORM, no HTTP, no JSON: what PostgreSQL and a driver can do on this machine for this query.
// A statement the product plans for its values at every call (a search's next page, whose best plan hinges
// on how many patients its terms match) is replayed the same way, prepared but planned per execution
// (plan_cache_mode = force_custom_plan): otherwise the "ceiling" would be slower than the product.
import pg from "pg";
import type { WireQuery } from "./in-process.ts";
import { percentile } from "./stats.ts";

/** The server's pool size (packages/db/src/orm.ts: pool.max). */
export const SERVER_POOL_SIZE = 10;

export interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  /** Completed requests per second. */
  rps: number;
  latencyP50: number;
  latencyP99: number;
  errors: number;
}

/**
 * Replays `query` from `concurrency` loops for `durationS`. With a `name` it is a prepared statement (the
 * ceiling); with `null` it is unnamed, parsed and planned at every execution, as MikroORM sends statements.
 */
export async function runCeiling(
  url: string,
  query: WireQuery,
  name: string | null,
  concurrency: number,
  durationS: number,
): Promise<LoadResult> {
  const perCall = name !== null && !query.prepared;
  const pool = new pg.Pool({
    connectionString: url,
    max: SERVER_POOL_SIZE,
    ...(perCall ? { options: "-c plan_cache_mode=force_custom_plan" } : {}),
  });
  pool.on("error", () => {});
  const statement = name
    ? { name, text: query.text, values: query.values }
    : { text: query.text, values: query.values };
  try {
    // Prepare (and connect) every connection before the clock starts, as a warm server would have.
    const clients = await Promise.all(Array.from({ length: SERVER_POOL_SIZE }, () => pool.connect()));
    await Promise.all(clients.map((client) => client.query(statement)));
    for (const client of clients) client.release();

    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
    const deadline = started + durationS * 1000;
    const loop = async () => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        try {
          await pool.query(statement);
          latencies.push(performance.now() - sent);
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    const elapsedS = (performance.now() - started) / 1000;
    return {
      connections: concurrency,
      durationS: elapsedS,
      requests: latencies.length,
      rps: latencies.length / elapsedS,
      latencyP50: percentile(latencies, 50),
      latencyP99: percentile(latencies, 99),
      errors,
    };
  } finally {
    await pool.end();
  }
}
