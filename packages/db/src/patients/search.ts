// What a search matches, read from what staff type: names (any order, exact first), email, phone digits, dates of
// birth and patient numbers; each as ranks of ordered index ranges that the list and the tab counts read alike.
import { type Expression, sql } from "kysely";
import { recordId } from "../record-id.ts";
import { type Condition, p } from "./filters.ts";

/** Text as search compares it, the SQL function search_key: lower case, no accents, no apostrophes, hyphens, dots
 *  or spaces. The stored names and search text are made with it too. */
export const searchKey = (text: unknown) => p.fn<string>("search_key", [p.cast<string>(p.val(text), "text")]);

/** A phone's national digits, the SQL function phone_national_digits, which makes the stored phone_digits too. */
const nationalDigits = (typed: string) => p.fn<string>("phone_national_digits", [p.cast<string>(p.val(typed), "text")]);

/**
 * How the values made from the typed text (keys, digits) enter the SQL. For a statement planned for its values they
 * go in as they are, and the planner computes them. For one whose plan is kept for any values, each is a scalar
 * subquery, computed once per execution before any row is read: a function of a parameter in a condition would
 * otherwise run again on every row the plan looks at.
 */
export type SearchValues = "planned" | "kept";
type Value = (value: Expression<string>) => Expression<string>;
const VALUES: Record<SearchValues, Value> = {
  planned: (value) => value,
  kept: (value) => sql<string>`(select ${value})`,
};

/** Above every character a stored key holds, so that key || PAST_KEYS bounds the keys that start with key. */
const PAST_KEYS = sql<string>`chr(1114111)`;

/** A term inside a LIKE pattern, matched literally. */
export const escapeLike = (term: string) => term.replace(/[\\%_]/g, (match) => `\\${match}`);

/**
 * One word of a search, as it is read:
 * - a date of birth, as the clinic writes it (en-US, month first: "11/27/1969", "11-27-1969") or ISO
 *   ("1969-11-27");
 * - a patient number as the record shows it ("#67");
 * - a number: digits with the marks of a phone number ("67", "1969", "917.555.0180", "(917)"), which may be
 *   phone or email digits (a phone's start, or for three digits or more anywhere), a patient number (plain digits
 *   without a leading zero) or a birth year (plain 19xx or 20xx): any of them, as alternatives;
 * - any other text, looked for in the names and the email.
 * A search of numbers only is one number, spaces and all ("+1 917 555 0180", "(917) 555-0180").
 */
type SearchTerm =
  | { kind: "text"; text: string }
  | { kind: "birthday"; date: string }
  | { kind: "patientNumber"; id: number | null }
  | { kind: "number"; typed: string; id: number | null; year: number | null };

function searchTermsOf(search: string | undefined): SearchTerm[] | null {
  const words = (search ?? "").split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) return null;
  const terms = words.map(termOf);
  if (terms.length > 1 && terms.every((term) => term.kind === "number")) return [numberTerm(words.join(""), false)];
  return terms;
}

/** How many terms a search has (a number of several words is one). */
export const searchTermCount = (search: string | undefined) => searchTermsOf(search)?.length ?? 0;

const US_DATE = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const NUMBER = /^[\d()+\-.]*\d[\d()+\-.]*$/;

function termOf(word: string): SearchTerm {
  const us = US_DATE.exec(word);
  const iso = ISO_DATE.exec(word);
  const date = us ? calendarDate(us[3], us[1], us[2]) : iso ? calendarDate(iso[1], iso[2], iso[3]) : null;
  if (date) return { kind: "birthday", date };
  const patientNumber = /^#(\d+)$/.exec(word);
  if (patientNumber) return { kind: "patientNumber", id: idOf(patientNumber[1] as string) };
  if (NUMBER.test(word)) return numberTerm(word);
  return { kind: "text", text: word };
}

/** A number; a patient number or a birth year only as one word of plain digits (not "917 555", not "19 69"). */
function numberTerm(typed: string, oneWord = true): SearchTerm {
  const plain = oneWord && /^[1-9]\d*$/.test(typed);
  const year = plain && /^(19|20)\d\d$/.test(typed) ? Number(typed) : null;
  return { kind: "number", typed, id: plain ? idOf(typed) : null, year };
}

/** A patient number, or null for one that no record can have. */
function idOf(digits: string): number | null {
  const parsed = recordId.safeParse(Number(digits));
  return parsed.success ? parsed.data : null;
}

/** "YYYY-MM-DD" when the parts make a day of the calendar. */
function calendarDate(year = "", month = "", day = ""): string | null {
  const at = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  return Number(year) >= 1000 && at.toISOString().slice(0, 10) === iso ? iso : null;
}

/** One way into a rank: its conditions, and for the last-name-prefix range, the term it starts with. */
export interface SearchAlternative {
  conditions: Condition[];
  lastNamePrefix?: string;
  /** The index order the alternative is a range of: the names (patient_name_idx), the first name
   *  (patient_first_name_idx), the patient number (patient_pkey), the date of birth (patient_birthday_idx), the
   *  phone's digits (patient_phone_digits_idx), or none (the trigram index, which has no order). */
  range: "name" | "firstName" | "id" | "birthday" | "phone" | null;
}

/** The most ranks a search has (a number's: patient number, birth year, phone prefix, digits anywhere). */
export const MAX_SEARCH_RANKS = 4;

/**
 * A search's ranks, best first, each as alternatives (disjoint sets of conditions) read as ordered ranges. With
 * any text, the ranks are the names' (see nameRanks) and every other term narrows each of them. Without, the
 * first term leads: a patient number or a date of birth is one range; a number is read as its alternatives in
 * turn (see numberRanks). Null when there is nothing to search for. `values` says how the statement is planned
 * (see SearchValues).
 */
export function searchRanks(
  search: string | undefined,
  values: SearchValues = "planned",
): SearchAlternative[][] | null {
  const terms = searchTermsOf(search);
  if (!terms) return null;
  const v = VALUES[values];
  const condition = (term: SearchTerm) => termCondition(term, v);
  const words = terms.flatMap((term) => (term.kind === "text" ? [term.text] : []));
  if (words.length) return nameRanks(words, terms.filter((term) => term.kind !== "text").map(condition), v);
  const [lead, ...rest] = terms as [SearchTerm, ...SearchTerm[]];
  const narrowing = rest.map(condition);
  if (lead.kind === "number") return numberRanks(lead, narrowing, v);
  return [[{ conditions: [condition(lead), ...narrowing], range: lead.kind === "birthday" ? "birthday" : "id" }]];
}

/** Whether a patient matches one term, on its own. */
function termCondition(term: SearchTerm, v: Value): Condition {
  switch (term.kind) {
    case "text":
      return contains(searchKey(escapeLike(term.text)), v);
    case "birthday":
      return p("p.birthday", "=", p.cast<string>(p.val(term.date), "date"));
    case "patientNumber":
      return term.id === null ? p.lit(false) : p("p.id", "=", term.id);
    case "number":
      return p.or([contains(nationalDigits(term.typed), v), ...numberAlternatives(term)]);
  }
}

/** The patient number and birth year a number may be, beside digits in the phone or email. */
function numberAlternatives(term: Extract<SearchTerm, { kind: "number" }>): Condition[] {
  return [...(term.id === null ? [] : [p("p.id", "=", term.id)]), ...(term.year === null ? [] : [bornIn(term.year)])];
}

/** Born in a year, as one range of the date of birth. */
const bornIn = (year: number): Condition =>
  p.and([
    p("p.birthday", ">=", p.cast<string>(p.val(`${year}-01-01`), "date")),
    p("p.birthday", "<", p.cast<string>(p.val(`${year + 1}-01-01`), "date")),
  ]);

/** The search text (names, email, phone digits) containing a normalised term, escaped for LIKE (trigram index). */
const contains = (term: Expression<string>, v: Value): Condition =>
  p("p.search_text", "like", v(p(p(sql.lit("%"), "||", term), "||", sql.lit("%"))));

/** A column (of byte order, collate "C") starting with a key, as one range of its index: written as bounds rather
 *  than LIKE, so that a plan kept for any key still reads a range. */
const startsWith = (
  column: "p.search_last_name" | "p.search_first_name" | "p.phone_digits",
  key: Expression<string>,
  v: Value,
): Condition =>
  column === "p.search_last_name" && v === VALUES.kept
    ? p.and([
        p(column, ">=", v(key)),
        p(
          p.refTuple("p.search_last_name", "p.search_first_name"),
          "<",
          p.tuple(v(p(key, "||", PAST_KEYS)), sql.lit("")),
        ),
      ])
    : p.and([p(column, ">=", v(key)), p(column, "<", v(p(key, "||", PAST_KEYS)))]);

/** Not matched by `condition`, null (a patient with no date of birth or phone) counting as not matched. */
const unless = (condition: Condition): Condition => p.not(p.fn.coalesce(condition, p.lit(false)));

/**
 * A number's ranks: the patient of that number, then those born in that year, then phones starting with its
 * digits, then (for three digits or more) every other patient with its digits in the phone or email. Each rank
 * leaves out the earlier ones.
 */
function numberRanks(
  term: Extract<SearchTerm, { kind: "number" }>,
  narrowing: Condition[],
  v: Value,
): SearchAlternative[][] {
  const digits = nationalDigits(term.typed);
  type Way = [Condition, SearchAlternative["range"]];
  const ways: Way[] = [
    ...(term.id === null ? [] : [[p("p.id", "=", term.id), "id"] satisfies Way]),
    ...(term.year === null ? [] : [[bornIn(term.year), "birthday"] satisfies Way]),
    [startsWith("p.phone_digits", digits, v), "phone"],
    // Digits anywhere take three or more: the trigram index has nothing to look up for fewer.
    ...(term.typed.replace(/\D/g, "").length < 3 ? [] : [[contains(digits, v), null] satisfies Way]),
  ];
  return ways.map(([condition, range], index) => [
    { conditions: [condition, ...ways.slice(0, index).map(([earlier]) => unless(earlier)), ...narrowing], range },
  ]);
}

/**
 * The names' ranks, each narrowed by the other terms:
 * 0. the full name exactly, in either order ("ana garcia", "garcia ana");
 * 1. a last name, or else a first name, starting with the first word (and the other words anywhere);
 * 2. every other patient with every word somewhere in their names, email or phone digits.
 * The ranges run on the stored names and their indexes (patient_name_idx, patient_first_name_idx). A rank states
 * only what its range does not already imply: the planner takes such conditions as independent, and "the first
 * name starts with ana" and "ana appears somewhere" are anything but.
 */
function nameRanks(words: string[], narrowing: Condition[], v: Value): SearchAlternative[][] {
  const [firstWord = "", ...otherWords] = words;
  const lastPrefix = startsWith("p.search_last_name", searchKey(firstWord), v);
  const firstPrefix = startsWith("p.search_first_name", searchKey(firstWord), v);
  const containsAll = (some: string[]) => some.map((word) => termCondition({ kind: "text", text: word }, v));

  // Every way the words split into a first and a last name, each way round.
  const names: [string, string][] = [];
  for (let split = 1; split < words.length; split++) {
    const before = words.slice(0, split).join(" ");
    const rest = words.slice(split).join(" ");
    names.push([rest, before], [before, rest]);
  }
  const exact = names.length
    ? p(
        p.refTuple("p.search_last_name", "p.search_first_name"),
        "in",
        names.map(([last, first]) => p.tuple(v(searchKey(last)), v(searchKey(first)))),
      )
    : null;
  const others = [...containsAll(otherWords), ...narrowing];
  const notExact = exact ? [p.not(exact)] : [];
  return [
    exact ? [{ conditions: [exact, ...narrowing], range: "name" }] : [],
    [
      { conditions: [lastPrefix, ...others, ...notExact], lastNamePrefix: firstWord, range: "name" },
      { conditions: [firstPrefix, p.not(lastPrefix), ...others, ...notExact], range: "firstName" },
    ],
    [{ conditions: [...containsAll(words), ...narrowing, p.not(lastPrefix), p.not(firstPrefix)], range: null }],
  ];
}
