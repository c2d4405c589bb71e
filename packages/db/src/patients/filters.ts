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

/** Text as search compares it: lower case, no accents (the SQL function the stored names are made with). */
export const searchNormalized = (text: unknown) =>
  p.fn<string>("search_normalize", [p.cast<string>(p.val(text), "text")]);

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

/** How a search is matched: terms split on spaces and commas; a query of digits is a phone number. */
export function searchTerms(search: string | undefined): { terms: string[] } | null {
  const words = (search ?? "").split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) return null;
  const digits = words.join("").replace(/[()+\-.]/g, "");
  if (/^\d{2,}$/.test(digits)) return { terms: [digits] };
  return { terms: words };
}

/** A term inside a LIKE pattern, matched literally. */
export const escapeLike = (term: string) => term.replace(/[\\%_]/g, (match) => `\\${match}`);

/** A column starting with the normalised term. */
export const startsWith = (column: "p.search_last_name" | "p.search_first_name", term: string): Condition =>
  p(column, "like", p(searchNormalized(escapeLike(term)), "||", sql.lit("%")));

/** Every term must appear in the patient's normalised names, email or phone digits (trigram index). */
export function searchCondition(search: string | undefined): Condition | null {
  const parsed = searchTerms(search);
  return parsed ? containsTerms(parsed.terms) : null;
}

export function containsTerms(terms: readonly string[]): Condition | null {
  return allOf(
    terms.map((term) =>
      p("p.search_text", "like", p(p(sql.lit("%"), "||", searchNormalized(escapeLike(term))), "||", sql.lit("%"))),
    ),
  );
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

/** One way into a rank: its conditions, and for the last-name-prefix range, the term it starts with. */
export interface SearchAlternative {
  conditions: Condition[];
  lastNamePrefix?: string;
  /** The index order the alternative is a range of: the names (patient_name_idx), the first name
   *  (patient_first_name_idx), or none (the trigram index, which has no order). */
  range: "name" | "firstName" | null;
}

/**
 * A search's ranks, best first, each as alternatives (disjoint sets of conditions) read as ordered ranges:
 * 0. the full name exactly, in either order ("ana garcia", "garcia ana");
 * 1. a last name, or else a first name, starting with the first term (and the other terms anywhere);
 * 2. every other patient with every term somewhere in their names, email or phone digits.
 * The ranges run on the stored normalised names and their indexes (patient_name_idx, patient_first_name_idx).
 * A rank states only what its range does not already imply: the planner takes such conditions as independent,
 * and "the first name starts with ana" and "ana appears somewhere" are anything but.
 */
export function searchRanks(terms: string[]): SearchAlternative[][] {
  const [firstTerm = "", ...otherTerms] = terms;
  const lastPrefix = startsWith("p.search_last_name", firstTerm);
  const firstPrefix = startsWith("p.search_first_name", firstTerm);
  const present = (condition: Condition | null) => (condition ? [condition] : []);

  // Every way the terms split into a first and a last name, each way round.
  const names: [string, string][] = [];
  for (let split = 1; split < terms.length; split++) {
    const before = terms.slice(0, split).join(" ");
    const rest = terms.slice(split).join(" ");
    names.push([rest, before], [before, rest]);
  }
  const exact = names.length
    ? p(
        p.refTuple("p.search_last_name", "p.search_first_name"),
        "in",
        names.map(([last, first]) => p.tuple(searchNormalized(last), searchNormalized(first))),
      )
    : null;
  const others = present(containsTerms(otherTerms));
  const notExact = exact ? [p.not(exact)] : [];
  return [
    exact ? [{ conditions: [exact], range: "name" }] : [],
    [
      { conditions: [lastPrefix, ...others, ...notExact], lastNamePrefix: firstTerm, range: "name" },
      { conditions: [firstPrefix, p.not(lastPrefix), ...others, ...notExact], range: "firstName" },
    ],
    [{ conditions: [...present(containsTerms(terms)), p.not(lastPrefix), p.not(firstPrefix)], range: null }],
  ];
}
