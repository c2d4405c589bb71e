// Small numeric helpers shared by the measurements: percentiles, rounding, human-readable figures.
import type { HttpLoadResult } from "./http-load.ts";

/** The p-th percentile (0..100) of samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const round = (value: number, digits = 2): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export const ratio = (numerator: number, denominator: number): number =>
  denominator > 0 ? numerator / denominator : Number.POSITIVE_INFINITY;

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export const formatMs = (ms: number) => `${formatNumber(ms)} ms`;
export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
export const formatRatio = (value: number) => `${formatNumber(value)}x`;
/**
 * Chairside's req/s over the naive version's. When no naive page finished before the run's timeout, only a bound is
 * known: the naive rate was below one page per connection over the run, so the gap is at least that far above.
 */
export function naiveGap(
  chairsideRps: number,
  naive: Pick<HttpLoadResult, "rps" | "requests" | "connections" | "durationS">,
) {
  if (naive.requests > 0) return { gap: chairsideRps / naive.rps, atLeast: false };
  return { gap: (chairsideRps * naive.durationS) / naive.connections, atLeast: true };
}
export const formatNaiveGap = ({ gap, atLeast }: ReturnType<typeof naiveGap>) =>
  `${atLeast ? "> " : ""}${formatRatio(gap)}`;
/** The naive version's req/s as the tables show it (with the unit, or in a column that names it); "no page in N s"
 *  when none finished before the timeout. */
export const formatNaiveRps = (naive: Pick<HttpLoadResult, "requests" | "durationS" | "rps">, unit = true) =>
  naive.requests > 0
    ? `${formatNumber(naive.rps)}${unit ? " req/s" : ""}`
    : `no page in ${Math.round(naive.durationS)} s`;
/** A load run's server CPU per request, as the tables show it beside the run's figures (PostgreSQL's after it,
 *  when measured). */
export const formatCpu = ({
  cpuMsPerRequest,
  databaseCpuMsPerRequest,
}: Pick<HttpLoadResult, "cpuMsPerRequest" | "databaseCpuMsPerRequest">) => {
  if (cpuMsPerRequest === null) return "CPU/req n/a";
  const database = databaseCpuMsPerRequest === null ? "" : ` (PostgreSQL ${formatNumber(databaseCpuMsPerRequest)} ms)`;
  return `${formatNumber(cpuMsPerRequest)} ms CPU/req${database}`;
};
