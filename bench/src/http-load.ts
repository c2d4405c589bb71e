// HTTP measurements: plain requests (to sign in and to weigh a response) and autocannon load runs, always
// against 127.0.0.1, bounded in time, with the server's CPU time per request when the run names its server.
import { request } from "node:http";
import autocannon from "autocannon";
import type { LoadResult } from "./ceiling.ts";
import type { ServerProcess } from "./processes.ts";
import type { ListRequest } from "./shapes.ts";
import { ticksToMs } from "./tier-cpu.ts";

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as sent (still compressed when Content-Encoding says so). */
  body: Buffer;
}

export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(300_000, () => req.destroy(new Error(`no answer from ${url} within 300 s`)));
    req.end(options.body);
  });
}

/** The tRPC GET path of patients.list for an input (superjson's envelope). */
export const listPath = (input: ListRequest) =>
  `/trpc/patients.list?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

/** Signs in over HTTP and returns a bearer token. */
export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await httpRequest(`${baseUrl}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email, password, issueToken: true } }),
  });
  const parsed = JSON.parse(response.body.toString("utf8")) as { result?: { data?: { json?: { token?: string } } } };
  const token = parsed.result?.data?.json?.token;
  if (response.status !== 200 || !token) throw new Error(`sign-in failed (${response.status}): ${response.body}`);
  return token;
}

/** What a browser sends with every request. */
export const BROWSER_HEADERS = { "accept-encoding": "br, gzip" };

export interface LoadRun {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
  /** Seconds to wait for one response; the naive version needs far longer than a second. */
  timeoutS?: number;
  /** Instead of a duration: stop after this many responses (each connection then makes at least one). */
  amount?: number;
  /** The process serving `url`: its CPU time during the run is shared out over the requests served. */
  server?: Pick<ServerProcess, "cpuTicks">;
  /** The PostgreSQL cluster behind it: its CPU time during the run is shared out the same way. */
  database?: { cpuTicks(): number };
}

export interface HttpLoadResult extends LoadResult {
  non2xx: number;
  timeouts: number;
  /** Response body bytes per second, as received. */
  throughputBytes: number;
  /** "duration" when the run lasted durationS, "amount" when it was bounded by a number of requests. */
  boundBy: "duration" | "amount";
  /**
   * The server's CPU time (user + system, /proc) during the run over its 2xx responses, in ms: what one request
   * costs the server, which holds better than req/s on a machine the server shares. Null when the run named no server.
   */
  cpuMsPerRequest: number | null;
  /** The same for the PostgreSQL cluster (every backend, the audit trail's writes included). Null when the run
   *  named no database. */
  databaseCpuMsPerRequest: number | null;
}

const perRequest = (ticks: number | null, completed: number) =>
  ticks === null ? null : completed > 0 ? ticksToMs(ticks) / completed : Number.NaN;

export async function runLoad(run: LoadRun): Promise<HttpLoadResult> {
  const started = performance.now();
  const ticksBefore = run.server?.cpuTicks() ?? 0;
  const databaseTicksBefore = run.database?.cpuTicks() ?? 0;
  const result = await autocannon({
    url: run.url,
    headers: run.headers,
    connections: run.connections,
    timeout: run.timeoutS ?? 30,
    ...(run.amount ? { amount: run.amount } : { duration: run.durationS }),
  });
  // Read as soon as autocannon stops: the requests it leaves in flight are few beside the run's.
  const ticks = run.server ? run.server.cpuTicks() - ticksBefore : null;
  const databaseTicks = run.database ? run.database.cpuTicks() - databaseTicksBefore : null;
  const elapsedS = run.amount ? (performance.now() - started) / 1000 : result.duration;
  // Only 2xx responses count as served; anything else is reported beside the figure.
  const completed = result["2xx"];
  return {
    connections: run.connections,
    durationS: elapsedS,
    requests: completed,
    rps: completed / elapsedS,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    throughputBytes: result.throughput.average,
    boundBy: run.amount ? "amount" : "duration",
    cpuMsPerRequest: perRequest(ticks, completed),
    databaseCpuMsPerRequest: perRequest(databaseTicks, completed),
  };
}

/**
 * Runs of one server and shape taken as one: requests and time summed, CPU per request weighted by each run's
 * requests. Latency percentiles cannot be pooled from autocannon's summaries, so the slowest run's stand.
 */
export function pooled(runs: HttpLoadResult[]): HttpLoadResult {
  const [first, ...rest] = runs;
  if (!first) throw new Error("no runs to pool");
  if (rest.length === 0) return first;
  const sum = (of: (run: HttpLoadResult) => number) => runs.reduce((total, run) => total + of(run), 0);
  const requests = sum((run) => run.requests);
  const durationS = sum((run) => run.durationS);
  const weighted = (of: (run: HttpLoadResult) => number | null) =>
    runs.some((run) => of(run) === null) ? null : sum((run) => (of(run) ?? 0) * run.requests) / requests;
  return {
    connections: first.connections,
    durationS,
    requests,
    rps: requests / durationS,
    latencyP50: Math.max(...runs.map((run) => run.latencyP50)),
    latencyP99: Math.max(...runs.map((run) => run.latencyP99)),
    errors: sum((run) => run.errors),
    non2xx: sum((run) => run.non2xx),
    timeouts: sum((run) => run.timeouts),
    throughputBytes: sum((run) => run.throughputBytes * run.durationS) / durationS,
    boundBy: first.boundBy,
    cpuMsPerRequest: weighted((run) => run.cpuMsPerRequest),
    databaseCpuMsPerRequest: weighted((run) => run.databaseCpuMsPerRequest),
  };
}
