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
/** A load run's server CPU per request, as the tables show it beside the run's figures. */
export const formatCpu = ({ cpuMsPerRequest }: Pick<HttpLoadResult, "cpuMsPerRequest">) =>
  cpuMsPerRequest === null ? "CPU/req n/a" : `${formatNumber(cpuMsPerRequest)} ms CPU/req`;
