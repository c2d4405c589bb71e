// HTTP measurements: plain requests (to sign in and to weigh a response) and autocannon load runs, always
// against 127.0.0.1, bounded in time.
import { request } from "node:http";
import autocannon from "autocannon";
import type { LoadResult } from "./ceiling.ts";
import type { ListRequest } from "./shapes.ts";

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
}

export interface HttpLoadResult extends LoadResult {
  non2xx: number;
  timeouts: number;
  /** Response body bytes per second, as received. */
  throughputBytes: number;
  /** "duration" when the run lasted durationS, "amount" when it was bounded by a number of requests. */
  boundBy: "duration" | "amount";
}

export async function runLoad(run: LoadRun): Promise<HttpLoadResult> {
  const started = performance.now();
  const result = await autocannon({
    url: run.url,
    headers: run.headers,
    connections: run.connections,
    timeout: run.timeoutS ?? 30,
    ...(run.amount ? { amount: run.amount } : { duration: run.durationS }),
  });
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
  };
}
