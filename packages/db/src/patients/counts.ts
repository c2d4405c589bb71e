// How many patients each tab of the list holds, for the same search and clinic, in one statement.
import type { EntityManager } from "@mikro-orm/postgresql";
import { selectRows } from "../postgres/prepared.ts";
import {
  type ClinicScope,
  type Condition,
  clinicCondition,
  searchCondition,
  statusCondition,
  visibleClinics,
} from "./filters.ts";
import type { PatientFilters } from "./list-input.ts";

/**
 * Where each count stops. An exact count reads every patient it counts: at 1,000,000 patients the five tabs took
 * 0.9–1.6 s (the bench's data set), every time the list opened. Counting stops here instead, so the tabs cost the
 * same at any size; a tab this full is browsed by search and sort, not by its exact size.
 */
export const TAB_COUNT_LIMIT = 10_000;

/** Per tab: the status tabs count patients who are not archived; `archived` counts the archived ones. */
export interface PatientTabCounts {
  all: number;
  active: number;
  inactive: number;
  new: number;
  archived: number;
  /** Where counting stopped: a tab counted at this number holds at least this many patients. */
  limit: number;
}

export async function countPatients(
  em: EntityManager,
  filters: Pick<PatientFilters, "search" | "clinicId">,
  scope: ClinicScope,
  env: { now: Date; clinicTimeZones: ReadonlyMap<number, string> },
  limit = TAB_COUNT_LIMIT,
): Promise<PatientTabCounts> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error("the count limit must be a whole number > 0");
  const clinics = visibleClinics(scope, filters.clinicId);
  const where = [clinicCondition(clinics), searchCondition(filters.search)].filter(
    (condition): condition is Condition => condition !== null,
  );
  const tab = (status: "active" | "inactive" | "new") => statusCondition(status, clinics, env.clinicTimeZones, env.now);
  const current: Condition = { sql: "p.archived_at is null", params: [] };
  const tabs: [keyof PatientTabCounts, Condition[]][] = [
    ["all", [current]],
    ["active", [current, tab("active")]],
    ["inactive", [current, tab("inactive")]],
    ["new", [current, tab("new")]],
    ["archived", [{ sql: "p.archived_at is not null", params: [] }]],
  ];
  // Each tab counts the first `limit` rows it finds, whichever index or order is quickest, and stops.
  const counted = tabs.map(([name, conditions]) => {
    const all = [...where, ...conditions];
    return {
      sql: `(select count(*) from (select from patient p where ${all.map((c) => `(${c.sql})`).join(" and ")}
               limit ${limit}) counted) as "${name}"`,
      params: all.flatMap((c) => c.params),
    };
  });
  const [row] = await selectRows<Record<string, string>>(
    em,
    `select ${counted.map((c) => c.sql).join(",\n")}`,
    counted.flatMap((c) => c.params),
    filters.search?.trim() ? "per-call" : "reuse",
  );
  const count = (name: string) => Number(row?.[name] ?? 0);
  return {
    all: count("all"),
    active: count("active"),
    inactive: count("inactive"),
    new: count("new"),
    archived: count("archived"),
    limit,
  };
}
