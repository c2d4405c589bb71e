// EXPLAIN (ANALYZE, BUFFERS) of the exact SQL each list shape sends, and whether any plan reads the big
// tables front to back (a sequential scan on patient, appointment or medical_alert). A shape the server prepares and
// reuses is explained with the plan it keeps (the generic plan, made without knowing the values); a
// search, which the server plans for its values, with the plan for those values.
import type pg from "pg";
import type { WireQuery } from "./in-process.ts";
import type { ShapeMeasure } from "./list-measures.ts";

export interface ExplainedShape {
  key: string;
  label: string;
  /** Tables read by a sequential scan (patient, appointment, medical_alert: the badges), if any. */
  seqScans: string[];
  executionMs: number;
  planningMs: number;
  plan: string;
}

const BIG_TABLES = ["patient", "appointment", "medical_alert"];

export async function explainShapes(client: pg.Client, shapes: ShapeMeasure[]): Promise<ExplainedShape[]> {
  const explained: ExplainedShape[] = [];
  for (const shape of shapes) {
    const query = shape.wire.at(-1);
    if (!query) continue;
    // Once unmeasured, so the plan shows a warm cache as the running server has.
    await client.query(query.text, query.values);
    const plan = query.prepared ? await explainGeneric(client, query) : await explainCustom(client, query);
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

const planText = (rows: { "QUERY PLAN": string }[]) => rows.map((row) => row["QUERY PLAN"]).join("\n");

async function explainCustom(client: pg.Client, query: WireQuery): Promise<string> {
  const { rows } = await client.query(`explain (analyze, buffers) ${query.text}`, query.values);
  return planText(rows);
}

/** EXECUTE takes no bound parameters, so the values go in as literals (coerced to the statement's types). */
async function explainGeneric(client: pg.Client, query: WireQuery): Promise<string> {
  const literal = (value: unknown) => (value === null ? "null" : client.escapeLiteral(String(value)));
  await client.query("set plan_cache_mode = force_generic_plan");
  await client.query(`prepare explained as ${query.text}`);
  try {
    const { rows } = await client.query(
      `explain (analyze, buffers) execute explained${query.values.length ? `(${query.values.map(literal).join(", ")})` : ""}`,
    );
    return planText(rows);
  } finally {
    await client.query("deallocate explained");
    await client.query("reset plan_cache_mode");
  }
}
