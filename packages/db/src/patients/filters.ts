// The patient filters as conditions on `patient as p`, shared by the list and the tab counts so that a count
// always describes exactly the rows the list would show.
import { type Expression, expressionBuilder, type SqlBool, sql } from "kysely";
import { activeSince, lastVisitSortKey, NEVER_VISITED } from "../clinic-rules.ts";
import type { ChairsideTables } from "../postgres/sql.ts";
import { inClinics } from "../scope.ts";
import type { PatientFilters } from "./list-input.ts";

/** The tables a patient query reads from: `patient as p`. */
export type PatientFrom = { p: ChairsideTables["patient"] };
export const p = expressionBuilder<PatientFrom, "p">();

export type Condition = Expression<SqlBool>;

const NEVER = sql.raw<Date>(NEVER_VISITED);

/** The last-visit sort key (see Patient's lastVisitSortKey), which patient_last_visit_idx and its kin index. */
export const lastVisitKey = sql.raw<Date>(lastVisitSortKey('"p"."last_visit_at"'));

/** A cursor's last-visit value (an ISO instant, or null for never) as the key compares it. */
export const lastVisitKeyOf = (value: unknown) => p.fn.coalesce(p.cast<Date>(p.val(value), "timestamptz"), NEVER);

/** All of the present conditions; null when there are none. */
export function allOf(conditions: readonly (Condition | null)[]): Condition | null {
  const present = conditions.filter((condition): condition is Condition => condition !== null);
  if (present.length === 0) return null;
  return present.length === 1 ? (present[0] as Condition) : p.and(present);
}

export function clinicCondition(clinicIds: readonly number[] | null): Condition | null {
  return clinicIds === null ? null : inClinics(p.ref("p.clinic_id"), clinicIds);
}

export function archivedCondition(archived: PatientFilters["archived"]): Condition | null {
  if (archived === "exclude") return p("p.archived_at", "is", null);
  if (archived === "only") return p("p.archived_at", "is not", null);
  return null;
}

/**
 * A status tab as a range of the last-visit key, with each clinic's "today" taken in its own time zone.
 * Clinics whose cutoff instant coincides share one range; normally that is all of them, and the
 * condition is a single index range.
 */
export function statusCondition(
  status: "active" | "inactive" | "new",
  clinicIds: readonly number[] | null,
  clinicTimeZones: ReadonlyMap<number, string>,
  now: Date,
): Condition {
  if (status === "new") return p(lastVisitKey, "=", NEVER);
  const byCutoff = new Map<string, number[]>();
  for (const [clinicId, timeZone] of clinicTimeZones) {
    if (clinicIds && !clinicIds.includes(clinicId)) continue;
    const cutoff = activeSince(timeZone, now).toISOString();
    byCutoff.set(cutoff, [...(byCutoff.get(cutoff) ?? []), clinicId]);
  }
  const range = (cutoff: string): Condition => {
    const instant = p.cast<Date>(p.val(cutoff), "timestamptz");
    return status === "active"
      ? p(lastVisitKey, ">=", instant)
      : p.and([p(lastVisitKey, "<", instant), p(lastVisitKey, ">", NEVER)]);
  };
  const groups = [...byCutoff.entries()];
  const [only] = groups;
  if (!only) return p.lit(false);
  if (groups.length === 1) return range(only[0]);
  // The range that holds every clinic's, stated first so that the last-visit index reads it as one range;
  // the per-clinic ranges alone are an OR, which the index cannot start from.
  const cutoffs = groups.map(([cutoff]) => cutoff).sort();
  const envelope = range((status === "active" ? cutoffs[0] : cutoffs.at(-1)) as string);
  const perClinic = groups.map(([cutoff, ids]) => p.and([p("p.clinic_id", "in", ids), range(cutoff)]));
  return p.and([envelope, p.or(perClinic)]);
}
