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

/** Per tab: the status tabs count patients who are not archived; `archived` counts the archived ones. */
export interface PatientTabCounts {
  all: number;
  active: number;
  inactive: number;
  new: number;
  archived: number;
}

export async function countPatients(
  em: EntityManager,
  filters: Pick<PatientFilters, "search" | "clinicId">,
  scope: ClinicScope,
  env: { now: Date; clinicTimeZones: ReadonlyMap<number, string> },
): Promise<PatientTabCounts> {
  const clinics = visibleClinics(scope, filters.clinicId);
  const where = [clinicCondition(clinics), searchCondition(filters.search)].filter(
    (condition): condition is Condition => condition !== null,
  );
  const tab = (status: "active" | "inactive" | "new") => statusCondition(status, clinics, env.clinicTimeZones, env.now);
  const [active, inactive, fresh] = [tab("active"), tab("inactive"), tab("new")];
  const sql = `select
      count(*) filter (where p.archived_at is null) as "all",
      count(*) filter (where p.archived_at is null and ${active.sql}) as "active",
      count(*) filter (where p.archived_at is null and ${inactive.sql}) as "inactive",
      count(*) filter (where p.archived_at is null and ${fresh.sql}) as "new",
      count(*) filter (where p.archived_at is not null) as "archived"
    from patient p
    ${where.length ? `where ${where.map((condition) => condition.sql).join(" and ")}` : ""}`;
  const params = [...active.params, ...inactive.params, ...fresh.params, ...where.flatMap((c) => c.params)];
  const [row] = await selectRows<Record<keyof PatientTabCounts, string>>(
    em,
    sql,
    params,
    filters.search?.trim() ? "per-call" : "reuse",
  );
  return {
    all: Number(row?.all ?? 0),
    active: Number(row?.active ?? 0),
    inactive: Number(row?.inactive ?? 0),
    new: Number(row?.new ?? 0),
    archived: Number(row?.archived ?? 0),
  };
}
