// Everything the bench measures on one data set, in an order that keeps the runs from disturbing each other:
// in-process figures first, then the HTTP runs (ceiling and Chairside side by side), the ceilings on the copy
// with distinct surnames, the mixed load, the naive version last.
import type pg from "pg";
import { runCeiling } from "./ceiling.ts";
import { newSecret, startBare, startChairside, startNaive } from "./chairside-server.ts";
import { BENCH_DATA_DIR, type Dataset, ensureDataset, withClient } from "./datasets.ts";
import { type DistinctSurnamesResult, measureDistinctSurnames, prepareDistinctSurnames } from "./distinct-surnames.ts";
import { type ExplainedShape, explainShapes } from "./explain.ts";
import {
  BROWSER_HEADERS,
  type HttpLoadResult,
  httpRequest,
  listPath,
  pooled,
  runLoad,
  signInOverHttp,
} from "./http-load.ts";
import { openInProcessApi } from "./in-process.ts";
import {
  type CountsMeasure,
  type LatencyMeasure,
  measureCounts,
  measureLatency,
  measureShapes,
  resolveShapes,
} from "./list-measures.ts";
import { countAuditEntries, type MixedLoadResult, runMixedLoad } from "./mixed-load.ts";
import { ensureNaiveCopy } from "./naive-db.ts";
import type { ServerProcess } from "./processes.ts";
import { OWNER } from "./product.ts";
import { SEARCH_TERM } from "./shapes.ts";
import { formatCpu } from "./stats.ts";
import { clusterTicks } from "./tier-cpu.ts";

export const TARGETS = ["first", "search"] as const;
export type LoadTarget = (typeof TARGETS)[number];
export const CONNECTIONS = [10, 100] as const;
/** The naive version is loaded at 10 connections only: at 100 its pages take minutes each. */
export const NAIVE_CONNECTIONS = 10;
/** Calls of patients.counts timed per request shape (each ~0.1 s at 1,000,000 patients). */
const COUNTS_SAMPLES = 20;

export interface LoadFigures {
  target: LoadTarget;
  connections: number;
  chairside: HttpLoadResult;
  ceiling: Awaited<ReturnType<typeof runCeiling>>;
  /** The same SQL unprepared, parsed and planned at every execution as the ORM sends it (10 connections only). */
  unprepared: Awaited<ReturnType<typeof runCeiling>> | null;
  /** The same SQL behind the barest HTTP route (bare-server.ts): what any HTTP server could serve here. */
  bare: HttpLoadResult;
  /** Chairside's req/s over the bare route's in each pair of halves measured one after the other. */
  halves: number[];
  naive: HttpLoadResult | null;
}

export interface DatasetResult {
  database: string;
  patients: number;
  appointments: number;
  seed: number;
  today: string;
  seeding: { ms: number; measuredNow: boolean; seededAt: string };
  shapes: { key: string; label: string; statements: number; writes: number; rows: number }[];
  latency: LatencyMeasure;
  counts: CountsMeasure[];
  load: LoadFigures[];
  payload: { rawBytes: number; compressedBytes: number; encoding: string; rows: number };
  memory: { idleRss: number; afterLoadRss: number; peakRss: number };
  /** GET /health at 10 connections: what the HTTP stack alone serves on this machine, for scale. */
  httpFloor: HttpLoadResult;
  /** The cheapest tRPC calls at 10 connections, for scale: `auth.me` (the session, no database work) and
   *  `clinics.list` (one small read of the clinics). What any page costs before its own work. */
  trpcFloor: { me: HttpLoadResult; clinics: HttpLoadResult };
  /** Issue 6: 100 clients of mixed list, search, detail and edit traffic on a fresh server, its RSS sampled. */
  mixed: MixedLoadResult;
  /** Issue 18: the search's ceiling beside the first page's on a copy where every surname is distinct. */
  distinct: DistinctSurnamesResult;
  explain: ExplainedShape[];
  naiveDroppedIndexes: string[];
}

interface RunOptions {
  durationS: number;
  /** Seconds of the mixed load. */
  loadDurationS: number;
  reseed: boolean;
  log: (line: string) => void;
}

/**
 * Waits until the machine is quiet before a measured run: autocannon stops sending when its time is up, but
 * the server and PostgreSQL still work through the requests already sent (at 1,000,000 patients, a hundred
 * searches take many seconds), and PostgreSQL's background work (autovacuum after the previous run's writes,
 * or on a naive copy just made) would otherwise land in the next run. Quiet means the server process (if
 * any) used at most one clock tick in 250 ms and no statement or autovacuum runs anywhere in the cluster,
 * twice in a row; after `maxMs` the bench goes on regardless.
 */
async function settle(server: ServerProcess | null, databaseUrl: string, maxMs = 120_000): Promise<void> {
  const deadline = performance.now() + maxMs;
  await withClient(databaseUrl, async (client) => {
    let quietSamples = 0;
    while (quietSamples < 2 && performance.now() < deadline) {
      const before = server?.cpuTicks() ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 250));
      const { rows } = await client.query<{ active: number }>(
        `select count(*)::int as active from pg_stat_activity
          where pid <> pg_backend_pid()
            and (state = 'active' or backend_type = 'autovacuum worker')`,
      );
      const quiet = (server ? server.cpuTicks() - before <= 1 : true) && rows[0]?.active === 0;
      quietSamples = quiet ? quietSamples + 1 : 0;
    }
  });
}

async function visiblePatients(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ count: string }>(
      "select count(*) as count from patient where archived_at is null",
    );
    return Number(rows[0]?.count ?? 0);
  });
}

export async function runDataset(
  serverUrl: string,
  patients: number,
  seed: number,
  options: RunOptions,
): Promise<DatasetResult> {
  const { log, durationS } = options;
  const dataset: Dataset = await ensureDataset(serverUrl, patients, seed, options);
  const naiveDb = await ensureNaiveCopy(serverUrl, dataset, log);
  const distinctCopy = await prepareDistinctSurnames(serverUrl, dataset, log);
  const secret = newSecret();

  log("in-process: statements per call, latency");
  const api = await openInProcessApi(dataset.url, secret);
  let shapes: Awaited<ReturnType<typeof measureShapes>>;
  let latency: LatencyMeasure;
  let counts: CountsMeasure[];
  try {
    const resolved = await resolveShapes(api, await visiblePatients(dataset.url));
    shapes = await measureShapes(api, resolved);
    const halfway = resolved.find((entry) => entry.shape.key === "halfway");
    if (!halfway) throw new Error("no half-way shape");
    latency = await measureLatency(api, {}, halfway.input, Math.max(100, durationS * 30));
    counts = await measureCounts(api, COUNTS_SAMPLES);
  } finally {
    await api.close();
  }

  log("EXPLAIN (ANALYZE, BUFFERS) of every shape");
  const explain = await withClient(dataset.url, (client: pg.Client) => explainShapes(client, shapes));

  const wireOf = (key: string) => {
    const query = shapes.find((shape) => shape.key === key)?.wire.at(-1);
    if (!query) throw new Error(`no SQL captured for ${key}`);
    return query;
  };
  const inputs = { first: {}, search: { search: SEARCH_TERM } } as const;

  log("HTTP: Chairside (production), the ceiling and the bare HTTP route");
  // The bench's own cluster: what PostgreSQL spends on a request shows beside what the server does.
  const database = { cpuTicks: () => clusterTicks(BENCH_DATA_DIR) };
  const bare = await startBare(dataset.url, { first: wireOf("first"), search: wireOf("search") });
  const server = await startChairside(dataset.url, secret);
  const load: LoadFigures[] = [];
  let payload: DatasetResult["payload"];
  let memory: DatasetResult["memory"];
  let httpFloor: HttpLoadResult;
  let trpcFloor: DatasetResult["trpcFloor"];
  try {
    const token = await signInOverHttp(server.url, OWNER.email, OWNER.password);
    const auth = { authorization: `Bearer ${token}` };
    const firstUrl = `${server.url}${listPath(inputs.first)}`;
    const raw = await httpRequest(firstUrl, { headers: { ...auth, "accept-encoding": "identity" } });
    const compressed = await httpRequest(firstUrl, { headers: { ...auth, ...BROWSER_HEADERS } });
    const body = JSON.parse(raw.body.toString("utf8")) as { result: { data: { json: { items: unknown[] } } } };
    payload = {
      rawBytes: raw.body.length,
      compressedBytes: compressed.body.length,
      encoding: String(compressed.headers["content-encoding"] ?? "none"),
      rows: body.result.data.json.items.length,
    };
    const idleRss = server.memory().rss;
    // Warm the JIT and the pool before anything is measured.
    await runLoad({ url: firstUrl, headers: { ...auth, ...BROWSER_HEADERS }, connections: 10, durationS: 2 });
    for (const target of TARGETS) {
      for (const connections of CONNECTIONS) {
        await settle(null, dataset.url);
        const ceiling = await runCeiling(dataset.url, wireOf(target), `ceiling_${target}`, connections, durationS);
        // Chairside and the bare route in alternating halves (Chairside, bare, bare, Chairside), so that the
        // machine's speed drifting over the minute falls on both alike; each side's halves are then pooled.
        const half = durationS / 2;
        const chairsideHalf = async () => {
          await settle(server, dataset.url);
          const url = `${server.url}${listPath(inputs[target])}`;
          const headers = { ...auth, ...BROWSER_HEADERS };
          return runLoad({ url, headers, connections, durationS: half, server, database });
        };
        const bareHalf = async () => {
          await settle(bare, dataset.url);
          return runLoad({
            url: `${bare.url}/${target}`,
            headers: {},
            connections,
            durationS: half,
            server: bare,
            database,
          });
        };
        const chairsideHalves = [await chairsideHalf()];
        const bareHalves = [await bareHalf(), await bareHalf()];
        chairsideHalves.push(await chairsideHalf());
        await settle(server, dataset.url);
        const chairside = pooled(chairsideHalves);
        const bareRun = pooled(bareHalves);
        const halves = chairsideHalves.map((run, index) => run.rps / (bareHalves[index]?.rps ?? Number.NaN));
        log(
          `  ${target} @${connections}: Chairside ${chairside.rps.toFixed(0)} req/s (${formatCpu(chairside)}), ceiling ${ceiling.rps.toFixed(0)} q/s, bare HTTP route ${bareRun.rps.toFixed(0)} req/s (${formatCpu(bareRun)})`,
        );
        const unprepared =
          connections === NAIVE_CONNECTIONS
            ? await runCeiling(dataset.url, wireOf(target), null, connections, durationS)
            : null;
        load.push({ target, connections, chairside, ceiling, unprepared, bare: bareRun, halves, naive: null });
      }
    }
    httpFloor = await runLoad({
      url: `${server.url}/health`,
      headers: BROWSER_HEADERS,
      connections: 10,
      durationS,
      server,
    });
    log(`  /health @10: ${httpFloor.rps.toFixed(0)} req/s (${formatCpu(httpFloor)})`);
    const trpcLoad = async (path: string) => {
      await settle(server, dataset.url);
      const url = `${server.url}/trpc/${path}`;
      return runLoad({ url, headers: { ...auth, ...BROWSER_HEADERS }, connections: 10, durationS, server, database });
    };
    trpcFloor = { me: await trpcLoad("auth.me"), clinics: await trpcLoad("clinics.list") };
    log(`  auth.me @10: ${trpcFloor.me.rps.toFixed(0)} req/s (${formatCpu(trpcFloor.me)})`);
    log(`  clinics.list @10: ${trpcFloor.clinics.rps.toFixed(0)} req/s (${formatCpu(trpcFloor.clinics)})`);
    const { rss, peak } = server.memory();
    memory = { idleRss, afterLoadRss: rss, peakRss: peak };
  } finally {
    await server.stop();
    await bare.stop();
  }

  log(`ceilings on ${distinctCopy.name}: the first page and a search for one distinct surname`);
  const distinct = await measureDistinctSurnames(distinctCopy, {
    patients,
    secret,
    connections: CONNECTIONS,
    durationS,
    settle: () => settle(null, dataset.url),
    log,
  });

  // A fresh process, so its memory series starts from an idle server and the figures above stay undisturbed;
  // after the read-only runs, as its edits write (they are put back when it ends).
  log(`HTTP: mixed load, ${options.loadDurationS} s (list, search, detail, edit)`);
  const mixedServer = await startChairside(dataset.url, secret);
  let mixed: MixedLoadResult;
  try {
    const token = await signInOverHttp(mixedServer.url, OWNER.email, OWNER.password);
    // The same short warm-up as above, so the first seconds measure load rather than the JIT.
    await runLoad({
      url: `${mixedServer.url}${listPath(inputs.first)}`,
      headers: { authorization: `Bearer ${token}`, ...BROWSER_HEADERS },
      connections: 10,
      durationS: 2,
    });
    mixed = await runMixedLoad({
      server: mixedServer,
      databaseUrl: dataset.url,
      token,
      durationS: options.loadDurationS,
      seed,
    });
    log(
      `  mixed @${mixed.connections}: ${mixed.rps.toFixed(0)} req/s, p50 ${mixed.latencyP50.toFixed(1)} ms, p99 ${mixed.latencyP99.toFixed(1)} ms, ` +
        `${mixed.conflicts} conflicts, errors ${mixed.serverErrors} 5xx / ${mixed.connectionErrors} conn / ${mixed.timeouts} timeouts / ${mixed.unexpected} unexpected; ` +
        `RSS ${(mixed.memory.before / 2 ** 20).toFixed(0)} -> ${(mixed.memory.early / 2 ** 20).toFixed(0)} -> ${(mixed.memory.after / 2 ** 20).toFixed(0)} MB`,
    );
    for (const sample of mixed.errorSamples) log(`    ${sample}`);
  } finally {
    await mixedServer.stop();
  }
  mixed.auditEntries = await countAuditEntries(dataset.url, mixed.startedAt);
  log(`  audit entries written for the load: ${mixed.auditEntries} (2xx answers: ${mixed.ok})`);

  log(`HTTP: the naive version (${NAIVE_CONNECTIONS} connections)`);
  for (const target of TARGETS) {
    // A fresh process per run: requests still in flight when a run ends must not weigh on the next one.
    await settle(null, dataset.url);
    const naive = await startNaive(naiveDb.url);
    try {
      const url = `${naive.url}/patients?page=0${target === "search" ? `&search=${SEARCH_TERM}` : ""}`;
      const run = { url, headers: BROWSER_HEADERS, connections: NAIVE_CONNECTIONS, durationS, timeoutS: 600 };
      let result = await runLoad(run);
      // Slower than the run is long: let every connection finish one page instead, and time that.
      if (result.requests < NAIVE_CONNECTIONS) {
        await naive.stop();
        const again = await startNaive(naiveDb.url);
        try {
          result = await runLoad({ ...run, url: url.replace(naive.url, again.url), amount: NAIVE_CONNECTIONS });
        } finally {
          await again.stop();
        }
      }
      log(`  naive ${target} @${NAIVE_CONNECTIONS}: ${result.rps.toFixed(2)} req/s`);
      const figures = load.find((entry) => entry.target === target && entry.connections === NAIVE_CONNECTIONS);
      if (figures) figures.naive = result;
    } finally {
      await naive.stop();
    }
  }

  return {
    database: dataset.name,
    patients,
    appointments: dataset.marker.appointments,
    seed,
    today: dataset.marker.today,
    seeding: { ms: dataset.marker.seedMs, measuredNow: dataset.seededNow, seededAt: dataset.marker.seededAt },
    shapes: shapes.map(({ key, label, statements, writes, rows }) => ({ key, label, statements, writes, rows })),
    latency,
    counts,
    load,
    payload,
    memory,
    httpFloor,
    trpcFloor,
    mixed,
    distinct,
    explain,
    naiveDroppedIndexes: naiveDb.droppedIndexes,
  };
}
