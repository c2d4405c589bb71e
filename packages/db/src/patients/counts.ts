// How many patients each tab of the list holds, for the same search and clinic, in one statement.
import type { EntityManager } from "@mikro-orm/postgresql";
import { type Expression, expressionBuilder, type SqlBool, sql } from "kysely";
import { clinicDay, localDate } from "../clinic-rules.ts";
import { type ChairsideTables, firstRowOf, sqlFor } from "../postgres/sql.ts";
import { inClinics, type RequestScope } from "../scope.ts";
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
    // Without one, the patients in view are most of the table: the tallies PostgreSQL keeps per clinic,
    // archived flag and day of last visit are added up instead (see PatientTally), a few rows per day of the
    // practice's history whatever its number of patients.
    const tab = (status: "active" | "inactive" | "new") =>
      tallyStatusCondition(status, clinics, request.clinicTimeZones, request.now);
    const total = (condition: TallyCondition) => t.fn.sum<string | null>("t.patients").filterWhere(condition);
    const current = t("t.archived", "=", false);
    const query = db
      .selectFrom("patient_tally as t")
      .select([
        total(current).as("all"),
        total(t.and([current, tab("active")])).as("active"),
        total(t.and([current, tab("inactive")])).as("inactive"),
        total(t.and([current, tab("new")])).as("new"),
        total(t("t.archived", "=", true)).as("archived"),
      ])
      .$if(clinics !== null, (q) => q.where(inClinics(t.ref("t.clinic_id"), clinics)));
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

type TallyCondition = Expression<SqlBool>;
const t = expressionBuilder<{ t: ChairsideTables["patient_tally"] }, "t">();
const NEVER_VISITED_DAY = sql.raw<string>("'-infinity'::date");

/**
 * A status tab as a range of the tallies' days, with each clinic's cut-off day (the local date 730 days before
 * today, as the list's statusCondition has it in instants): active from it, inactive before it, new never.
 */
function tallyStatusCondition(
  status: "active" | "inactive" | "new",
  clinicIds: readonly number[] | null,
  clinicTimeZones: ReadonlyMap<number, string>,
  now: Date,
): TallyCondition {
  if (status === "new") return t("t.visit_day", "=", NEVER_VISITED_DAY);
  const byCutoff = new Map<string, number[]>();
  for (const [clinicId, timeZone] of clinicTimeZones) {
    if (clinicIds && !clinicIds.includes(clinicId)) continue;
    const cutoff = localDate(clinicDay(timeZone, now).activeSince, timeZone);
    byCutoff.set(cutoff, [...(byCutoff.get(cutoff) ?? []), clinicId]);
  }
  const range = (cutoff: string): TallyCondition => {
    const day = t.cast<string>(t.val(cutoff), "date");
    return status === "active"
      ? t("t.visit_day", ">=", day)
      : t.and([t("t.visit_day", "<", day), t("t.visit_day", ">", NEVER_VISITED_DAY)]);
  };
  const groups = [...byCutoff.entries()];
  const [only] = groups;
  if (!only) return t.lit(false);
  if (groups.length === 1) return range(only[0]);
  return t.or(groups.map(([cutoff, ids]) => t.and([t("t.clinic_id", "in", ids), range(cutoff)])));
}
