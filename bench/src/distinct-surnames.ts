// Issue 18's search ceiling where no surname is common: a copy of the data set (dataset-copy.ts) in which every
// patient's surname is their own, and the ceiling of a search for one of them beside the first page's, both
// with the SQL Chairside sends on that copy.
import { type LoadResult, runCeiling } from "./ceiling.ts";
import { ensureCopy } from "./dataset-copy.ts";
import { withClient } from "./datasets.ts";
import { openInProcessApi } from "./in-process.ts";
import { measureShapes } from "./list-measures.ts";
import { LIST_SHAPES, type ListShape } from "./shapes.ts";

export interface DistinctSurnamesResult {
  database: string;
  /** The search on the copy: one patient's surname there, in lower case as staff type it. */
  term: string;
  /** Patients on the search's first page (more than 1 only where another surname starts with the term). */
  rows: number;
  /** SQL statements of the search (the list's rule holds on the copy too). */
  statements: number;
  /** The one UPDATE that made the surnames distinct (ms), and whether this run made the copy. */
  update: { ms: number; patients: number; madeNow: boolean };
  ceilings: { connections: number; first: LoadResult; search: LoadResult }[];
}

/**
 * Each surname gets its patient's id appended as base-26 letters, all of one width: letters only, so it is still
 * a surname a receptionist types (no digits, which the search reads as phone or patient numbers); two patients
 * never share one, as same-width suffixes of distinct ids differ; and the patient's own surname stays in front,
 * so the name order and the surnames' trigrams stay as they were and only how many patients a surname names
 * changes.
 */
function suffixOfId(maxId: number): string {
  let width = 1;
  while (26 ** width <= maxId) width++;
  return Array.from({ length: width }, (_, at) => `chr(97 + (id / ${26 ** (width - 1 - at)}) % 26)`).join(" || ");
}

const RECIPE = "surname || id as fixed-width base-26 letters";

async function ensureDistinctCopy(
  serverUrl: string,
  dataset: { name: string; url: string; marker: { seededAt: string } },
  log: (line: string) => void,
) {
  return ensureCopy(
    serverUrl,
    dataset,
    {
      suffix: "distinct",
      recipe: RECIPE,
      describe: "with every surname made distinct",
      change: (url) =>
        withClient(url, async (client) => {
          const { rows } = await client.query<{ max: number | null }>("select max(id) as max from patient");
          // Replica role: the user triggers (tallies, change notices, recall dates) stay still; the generated
          // search columns follow the new surnames all the same.
          await client.query("set session_replication_role = replica");
          const started = performance.now();
          const updated = await client.query(
            `update patient set last_name = last_name || ${suffixOfId(rows[0]?.max ?? 1)}`,
          );
          const ms = performance.now() - started;
          await client.query("reset session_replication_role");
          await client.query("vacuum analyze patient");
          return { updateMs: ms, patients: updated.rowCount ?? 0 };
        }),
    },
    log,
  );
}

/** One real surname of the copy: the first listed patient's from the middle of the ids on, a one-word surname
 *  (a second word would make it a search for two names). */
async function searchTermOn(url: string, patients: number): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ last_name: string }>(
      `select last_name from patient
        where id >= $1 and archived_at is null and position(' ' in last_name) = 0
        order by id limit 1`,
      [Math.floor(patients / 2)],
    );
    const surname = rows[0]?.last_name;
    if (!surname) throw new Error(`no one-word surname past the middle of ${url}`);
    return surname.toLowerCase();
  });
}

/** Makes (or reuses) the copy; call it while nothing else is connected to the data set (a template copy). */
export async function prepareDistinctSurnames(
  serverUrl: string,
  dataset: { name: string; url: string; marker: { seededAt: string } },
  log: (line: string) => void,
) {
  const copy = await ensureDistinctCopy(serverUrl, dataset, log);
  const { updateMs, patients } = copy.details;
  log(
    `copy ${copy.name}: one UPDATE of ${patients.toLocaleString("en-US")} surnames, ${(updateMs / 1000).toFixed(1)} s${copy.madeNow ? "" : " (when it was made)"}`,
  );
  return copy;
}

export async function measureDistinctSurnames(
  copy: Awaited<ReturnType<typeof prepareDistinctSurnames>>,
  run: {
    patients: number;
    secret: string;
    connections: readonly number[];
    durationS: number;
    /** Waits for a quiet machine before each measured run. */
    settle: () => Promise<void>;
    log: (line: string) => void;
  },
): Promise<DistinctSurnamesResult> {
  const term = await searchTermOn(copy.url, run.patients);
  const first = LIST_SHAPES.find((shape) => shape.key === "first") as ListShape;
  const search: ListShape = { key: "search", label: `search "${term}"`, input: { search: term } };
  const api = await openInProcessApi(copy.url, run.secret);
  let measured: Awaited<ReturnType<typeof measureShapes>>;
  try {
    measured = await measureShapes(
      api,
      [first, search].map((shape) => ({ shape, input: shape.input })),
    );
  } finally {
    await api.close();
  }
  const wireOf = (key: string) => {
    const query = measured.find((shape) => shape.key === key)?.wire.at(-1);
    if (!query) throw new Error(`no SQL captured for ${key} on ${copy.name}`);
    return query;
  };
  const searched = measured.find((shape) => shape.key === "search");

  const ceilings: DistinctSurnamesResult["ceilings"] = [];
  for (const connections of run.connections) {
    await run.settle();
    const firstRun = await runCeiling(copy.url, wireOf("first"), "ceiling_first", connections, run.durationS);
    await run.settle();
    const searchRun = await runCeiling(copy.url, wireOf("search"), "ceiling_search", connections, run.durationS);
    run.log(
      `  distinct surnames, search "${term}" (${searched?.rows ?? 0} found) @${connections}: ceiling ${searchRun.rps.toFixed(0)} q/s, first page ${firstRun.rps.toFixed(0)} q/s`,
    );
    ceilings.push({ connections, first: firstRun, search: searchRun });
  }
  return {
    database: copy.name,
    term,
    rows: searched?.rows ?? 0,
    statements: searched?.statements ?? 0,
    update: { ms: copy.details.updateMs, patients: copy.details.patients, madeNow: copy.madeNow },
    ceilings,
  };
}
