// The in-process measurements of patients.list: SQL statements per call for every shape, the exact SQL each
// shape sends, and latency of the first page against a page half-way through; and of the tab counts the list
// asks for beside it.
import type { PatientListPage } from "@chairside/db";
import { readsOnly } from "@chairside/db/statements";
import { halfwayCursor, type InProcessApi, type WireQuery } from "./in-process.ts";
import { COUNTS_SHAPES, LIST_SHAPES, type ListRequest, type ListShape } from "./shapes.ts";
import { percentile } from "./stats.ts";

export interface ShapeMeasure {
  key: string;
  label: string;
  statements: number;
  /** Statements that are not a SELECT (a list must never write). */
  writes: number;
  rows: number;
  /** What went over the wire: the SQL the ceiling replays and EXPLAIN analyses. */
  wire: WireQuery[];
}

export interface LatencyMeasure {
  samples: number;
  firstP50: number;
  firstP99: number;
  deepP50: number;
  deepP99: number;
  /** deep / first, at p50 and p99. */
  ratioP50: number;
  ratioP99: number;
}

/** Every shape's request, with the cursors the keyset shapes continue from resolved. */
export async function resolveShapes(
  api: InProcessApi,
  visiblePatients: number,
): Promise<{ shape: ListShape; input: ListRequest }[]> {
  const halfway = await halfwayCursor(api, visiblePatients);
  const resolved: { shape: ListShape; input: ListRequest }[] = [];
  for (const shape of LIST_SHAPES) {
    let cursor: string | null = null;
    if (shape.from === "halfway") cursor = halfway;
    if (shape.from === "next") cursor = (await api.list(shape.input)).nextCursor;
    resolved.push({ shape, input: cursor ? { ...shape.input, cursor } : shape.input });
  }
  return resolved;
}

export async function measureShapes(
  api: InProcessApi,
  shapes: { shape: ListShape; input: ListRequest }[],
): Promise<ShapeMeasure[]> {
  const measures: ShapeMeasure[] = [];
  for (const { shape, input } of shapes) {
    // Once to warm the session cache (an authenticated call then costs no SQL of its own) and the ORM.
    await api.list(input);
    let page: PatientListPage | undefined;
    const statements = await api.countStatements(async () => {
      page = await api.list(input);
    });
    // Only the list's own SELECT: anything else on the wire meanwhile (a background batch of the audit
    // trail, say) is not part of this request's SQL.
    const wire = (await api.captureWire(() => api.list(input))).filter(
      (query) => readsOnly(query.text) && /\bpatient\b/.test(query.text),
    );
    measures.push({
      key: shape.key,
      label: shape.label,
      statements: statements.length,
      writes: statements.filter((sql) => !readsOnly(sql)).length,
      rows: page?.items.length ?? 0,
      wire,
    });
  }
  return measures;
}

/** First page and half-way page, interleaved so that noise on the machine hits both alike. */
export async function measureLatency(
  api: InProcessApi,
  first: ListRequest,
  deep: ListRequest,
  samples: number,
): Promise<LatencyMeasure> {
  const timings = { first: [] as number[], deep: [] as number[] };
  const time = async (input: ListRequest, into: number[]) => {
    const started = performance.now();
    await api.list(input);
    into.push(performance.now() - started);
  };
  for (let i = 0; i < Math.max(10, samples / 10); i++) {
    await time(first, []);
    await time(deep, []);
  }
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      await time(first, timings.first);
      await time(deep, timings.deep);
    } else {
      await time(deep, timings.deep);
      await time(first, timings.first);
    }
  }
  const firstP50 = percentile(timings.first, 50);
  const firstP99 = percentile(timings.first, 99);
  const deepP50 = percentile(timings.deep, 50);
  const deepP99 = percentile(timings.deep, 99);
  return {
    samples,
    firstP50,
    firstP99,
    deepP50,
    deepP99,
    ratioP50: deepP50 / firstP50,
    ratioP99: deepP99 / firstP99,
  };
}

export interface CountsMeasure {
  key: string;
  label: string;
  statements: number;
  writes: number;
  samples: number;
  p50: number;
  p99: number;
}

/** patients.counts as the list asks for it: its statements, and its latency (information: no target). */
export async function measureCounts(api: InProcessApi, samples: number): Promise<CountsMeasure[]> {
  const measures: CountsMeasure[] = [];
  for (const { key, label, input } of COUNTS_SHAPES) {
    await api.counts(input);
    const statements = await api.countStatements(() => api.counts(input));
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await api.counts(input);
      times.push(performance.now() - started);
    }
    measures.push({
      key,
      label,
      statements: statements.length,
      writes: statements.filter((sql) => !readsOnly(sql)).length,
      samples,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
    });
  }
  return measures;
}
