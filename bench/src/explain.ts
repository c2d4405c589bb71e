// EXPLAIN (ANALYZE, BUFFERS) of the exact SQL each list shape sends, and whether any plan reads the big
// tables front to back (a sequential scan on patient or appointment).
import type pg from "pg";
import type { ShapeMeasure } from "./list-measures.ts";

export interface ExplainedShape {
  key: string;
  label: string;
  /** Tables read by a sequential scan (patient, appointment), if any. */
  seqScans: string[];
  executionMs: number;
  planningMs: number;
  plan: string;
}

const BIG_TABLES = ["patient", "appointment"];

export async function explainShapes(client: pg.Client, shapes: ShapeMeasure[]): Promise<ExplainedShape[]> {
  const explained: ExplainedShape[] = [];
  for (const shape of shapes) {
    const query = shape.wire.at(-1);
    if (!query) continue;
    // Once unmeasured, so the plan shows a warm cache as the running server has.
    await client.query(query.text, query.values);
    const { rows } = await client.query<{ "QUERY PLAN": string }>(
      `explain (analyze, buffers) ${query.text}`,
      query.values,
    );
    const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
    const seqScans = BIG_TABLES.filter((table) => new RegExp(`Seq Scan on ${table}\\b`).test(plan));
    explained.push({
      key: shape.key,
      label: shape.label,
      seqScans,
      executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN),
      planningMs: Number(/Planning Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN),
      plan,
    });
  }
  return explained;
}
