// How many patients each tab of the list holds, for the same search and clinic, in one statement.
import type { EntityManager } from "@mikro-orm/postgresql";
import { selectRows } from "../postgres/prepared.ts";
import {
  type ClinicScope,
  clinicCondition,
  searchCondition,
  sqlOf,
  statusCondition,
  visibleClinics,
  whereClause,
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
  const clinic = clinicCondition(clinics);
  const search = searchCondition(filters.search);
  const tab = (status: "active" | "inactive" | "new") => statusCondition(status, clinics, env.clinicTimeZones, env.now);
  const [active, inactive, fresh] = [tab("active"), tab("inactive"), tab("new")];
  /** The four status-tab counts among the rows `listed` holds (every row when null). */
  const byTab = (listed: string | null) => {
    const among = (condition: string) => (listed ? `${listed} and ${condition}` : condition);
    return {
      sql: `count(*) ${listed ? `filter (where ${listed}) ` : ""}as "all",
      count(*) filter (where ${among(active.sql)}) as "active",
      count(*) filter (where ${among(inactive.sql)}) as "inactive",
      count(*) filter (where ${among(fresh.sql)}) as "new"`,
      params: [...active.params, ...inactive.params, ...fresh.params],
    };
  };

  let sql: string;
  let params: unknown[];
  if (search) {
    // A search's matches come from the trigram index; one pass over them counts every tab.
    const tabs = byTab("p.archived_at is null");
    const matching = whereClause([clinic, search]);
    sql = `select ${tabs.sql}, count(*) filter (where p.archived_at is not null) as "archived"
      from patient p ${matching.sql}`;
    params = [...tabs.params, ...matching.params];
  } else {
    // Without one, the patients in view are most of the table: the status tabs are counted from
    // patient_tab_counts_idx alone (an index-only scan) and the archived ones from patient_archived_name_idx.
    const tabs = byTab(null);
    const listed = whereClause([clinic, sqlOf("p.archived_at is null")]);
    const archived = whereClause([clinic, sqlOf("p.archived_at is not null")]);
    sql = `select tabs.*, (select count(*) from patient p ${archived.sql}) as "archived"
      from (select ${tabs.sql} from patient p ${listed.sql}) tabs`;
    params = [...archived.params, ...tabs.params, ...listed.params];
  }
  const [row] = await selectRows<Record<keyof PatientTabCounts, string>>(
    em,
    sql,
    params,
    search ? "per-call" : "reuse",
  );
  return {
    all: Number(row?.all ?? 0),
    active: Number(row?.active ?? 0),
    inactive: Number(row?.inactive ?? 0),
    new: Number(row?.new ?? 0),
    archived: Number(row?.archived ?? 0),
  };
}
