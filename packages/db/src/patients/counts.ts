// How many patients each tab of the list holds, for the same search and clinic, in one statement.
import type { EntityManager } from "@mikro-orm/postgresql";
import { firstRowOf, sqlFor } from "../postgres/sql.ts";
import type { RequestScope } from "../scope.ts";
import { allOf, type Condition, clinicCondition, p, searchCondition, statusCondition } from "./filters.ts";
import type { PatientFilters } from "./list-input.ts";

/** Per tab: the status tabs count patients who are not archived; `archived` counts the archived ones. */
export interface PatientTabCounts {
  all: number;
  active: number;
  inactive: number;
  new: number;
  archived: number;
}

const notArchived = p("p.archived_at", "is", null);
const archived = p("p.archived_at", "is not", null);

export async function countPatients(
  request: RequestScope,
  em: EntityManager,
  filters: Pick<PatientFilters, "search" | "clinicId">,
): Promise<PatientTabCounts> {
  const db = sqlFor(em);
  const clinics = request.clinics.within(filters.clinicId);
  const clinic = clinicCondition(clinics);
  const search = searchCondition(filters.search);
  const tab = (status: "active" | "inactive" | "new") =>
    statusCondition(status, clinics, request.clinicTimeZones, request.now);
  /** The four status-tab counts among the rows `listed` holds (every row when null). */
  const byTab = (listed: Condition | null) => {
    const among = (condition: Condition) => (listed ? p.and([listed, condition]) : condition);
    const all = p.fn.countAll<string>();
    return [
      (listed ? all.filterWhere(listed) : all).as("all"),
      p.fn
        .countAll<string>()
        .filterWhere(among(tab("active")))
        .as("active"),
      p.fn
        .countAll<string>()
        .filterWhere(among(tab("inactive")))
        .as("inactive"),
      p.fn
        .countAll<string>()
        .filterWhere(among(tab("new")))
        .as("new"),
    ] as const;
  };

  let row: Record<keyof PatientTabCounts, string | number | bigint | null> | undefined;
  if (search) {
    // A search's matches come from the trigram index; one pass over them counts every tab.
    const query = db
      .selectFrom("patient as p")
      .select([...byTab(notArchived), p.fn.countAll<string>().filterWhere(archived).as("archived")])
      .where(allOf([clinic, search]) ?? p.lit(true));
    row = await firstRowOf(em, query, "per-call");
  } else {
    // Without one, the patients in view are most of the table: the status tabs are counted from
    // patient_tab_counts_idx alone (an index-only scan) and the archived ones from patient_archived_name_idx.
    const where = (condition: Condition) => allOf([clinic, condition]) as Condition;
    const tabs = db.selectFrom("patient as p").select(byTab(null)).where(where(notArchived));
    const archivedCount = db
      .selectFrom("patient as p")
      .select(p.fn.countAll<string>().as("count"))
      .where(where(archived));
    const query = db.selectFrom(tabs.as("tabs")).selectAll("tabs").select(archivedCount.as("archived"));
    row = await firstRowOf(em, query, "reuse");
  }
  return {
    all: Number(row?.all ?? 0),
    active: Number(row?.active ?? 0),
    inactive: Number(row?.inactive ?? 0),
    new: Number(row?.new ?? 0),
    archived: Number(row?.archived ?? 0),
  };
}
