// How many patients each tab of the list holds, for the same search and clinic, in one statement.
import type { EntityManager } from "@mikro-orm/postgresql";
import { type Expression, expressionBuilder, type SqlBool, sql } from "kysely";
import { clinicDay, localDate } from "../clinic-rules.ts";
import { type ChairsideTables, firstRowOf, sqlFor } from "../postgres/sql.ts";
import { inClinics, type RequestScope } from "../scope.ts";
import { allOf, type Condition, clinicCondition, p, statusCondition } from "./filters.ts";
import type { PatientFilters } from "./list-input.ts";
import { searchRanks } from "./search.ts";

/** A search's tab counts are exact up to this many matches; past it they are lower bounds and say so (the SPA
 *  shows "1,000+"). */
export const SEARCH_COUNT_CAP = 1_000;

type Tab = "all" | "active" | "inactive" | "new" | "archived";

/** Per tab: the status tabs count patients who are not archived; `archived` counts the archived ones. */
export interface PatientTabCounts {
  all: number;
  active: number;
  inactive: number;
  new: number;
  archived: number;
  /** Where a count is a lower bound: a search matched more than SEARCH_COUNT_CAP patients, and its counts are
   *  those of the first SEARCH_COUNT_CAP matches the list would show. */
  atLeast: Record<Tab, boolean>;
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
  const tab = (status: "active" | "inactive" | "new") =>
    statusCondition(status, clinics, request.clinicTimeZones, request.now);
  let row: Record<Tab, string | number | bigint | null> | undefined;
  const searchedRanks = searchRanks(filters.search);
  const searched = searchedRanks !== null;
  if (searchedRanks) {
    // A search's matches are read the way the list reads them: each rank of the search as a range of an index,
    // in that index's order, and the reading stops past the cap. So a common surname costs what a rare one does,
    // where counting every match would read most of the table. Up to the cap the counts are exact; past it
    // they are what the first matches hold, and say so.
    const ranks = searchedRanks.flat();
    const matches = (state: Condition) => {
      const branches = ranks.map((alternative, index) => {
        let branch = db
          .selectFrom("patient as p")
          .select(["p.id", "p.clinic_id", "p.last_visit_at"])
          .where(allOf([clinic, state, ...alternative.conditions]) as Condition);
        for (const key of RANGE_ORDER[alternative.range ?? "none"]) branch = branch.orderBy(key);
        return db.selectFrom(branch.limit(MORE_THAN_CAP).as(`rank_${index}`)).selectAll();
      });
      const [first, ...rest] = branches;
      if (!first) throw new Error("a search has at least one rank to count");
      const union = rest.reduce((all, branch) => all.unionAll(branch), first);
      return db.selectFrom(union.as("matches")).selectAll().limit(MORE_THAN_CAP);
    };
    // The matches are named `p`, as the patient table is, so that the status tabs' conditions apply to them.
    const current = db
      .selectFrom(matches(notArchived).as("p"))
      .select((eb) => [
        eb.fn.countAll<string>().as("all"),
        eb.fn.countAll<string>().filterWhere(tab("active")).as("active"),
        eb.fn.countAll<string>().filterWhere(tab("inactive")).as("inactive"),
        eb.fn.countAll<string>().filterWhere(tab("new")).as("new"),
      ]);
    const archivedMatches = db
      .selectFrom(matches(archived).as("p"))
      .select((eb) => eb.fn.countAll<string>().as("count"));
    const query = db.selectFrom(current.as("current")).selectAll("current").select(archivedMatches.as("archived"));
    row = await firstRowOf(em, query, "per-call");
  } else {
    // Without one, the patients in view are most of the table: the tallies PostgreSQL keeps per clinic,
    // archived flag and day of last visit are added up instead (see PatientTally), a few rows per day of the
    // practice's history whatever its number of patients.
    const tallied = (status: "active" | "inactive" | "new") =>
      tallyStatusCondition(status, clinics, request.clinicTimeZones, request.now);
    const total = (condition: TallyCondition) => t.fn.sum<string | null>("t.patients").filterWhere(condition);
    const current = t("t.archived", "=", false);
    const query = db
      .selectFrom("patient_tally as t")
      .select([
        total(current).as("all"),
        total(t.and([current, tallied("active")])).as("active"),
        total(t.and([current, tallied("inactive")])).as("inactive"),
        total(t.and([current, tallied("new")])).as("new"),
        total(t("t.archived", "=", true)).as("archived"),
      ])
      .$if(clinics !== null, (q) => q.where(inClinics(t.ref("t.clinic_id"), clinics)));
    row = await firstRowOf(em, query, "reuse");
  }
  const counted = (tab: Tab) => Number(row?.[tab] ?? 0);
  // Past the cap (a search only), the status tabs hold what the first matches held: lower bounds.
  const currentPast = searched && counted("all") > SEARCH_COUNT_CAP;
  const archivedPast = searched && counted("archived") > SEARCH_COUNT_CAP;
  const upTo = (tab: Tab) => (!searched ? counted(tab) : Math.min(counted(tab), SEARCH_COUNT_CAP));
  return {
    all: upTo("all"),
    active: upTo("active"),
    inactive: upTo("inactive"),
    new: upTo("new"),
    archived: upTo("archived"),
    atLeast: {
      all: currentPast,
      active: currentPast,
      inactive: currentPast,
      new: currentPast,
      archived: archivedPast,
    },
  };
}

/** One more row than the cap, to know whether the cap was passed. In the SQL text: the plan is for its values. */
const MORE_THAN_CAP = sql.lit(SEARCH_COUNT_CAP + 1);
/** Each rank's index order (see SearchAlternative.range): read in that order, a range stops at its limit. */
const RANGE_ORDER = {
  name: ["p.search_last_name", "p.search_first_name", "p.id"],
  firstName: ["p.search_first_name"],
  id: ["p.id"],
  birthday: ["p.birthday"],
  phone: ["p.phone_digits"],
  none: [],
} as const;

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
