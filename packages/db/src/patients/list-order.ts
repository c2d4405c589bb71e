// Where a row of the list belongs, from what the row itself carries (its status, archived flag, clinic and order
// values, all made by the server's list query): so that a client can put a changed row into the pages it holds
// exactly where a fresh page would. Pure TypeScript, so the browser can import it.
import type { PatientFilters, PatientSort } from "./list-input.ts";

/** A row's values for every order of the list (see SORT_KEYS in list.ts): what a changed row carries. */
export interface ListSortKeys {
  /** The normalised last and first names, compared in byte order (as the column's "C" collation). */
  name: [string, string];
  /** The last visit in epoch ms; null (never visited) sorts as the earliest. */
  lastVisit: number | null;
  /** When the record was created, in epoch ms. */
  createdAt: number;
}

/** A row's values for one order, before its id: what each row of a page carries (kept short: pages stay small). */
export type ListOrder = [string, string] | [number | null];

/** The values a row sorts by in a list sorted by `sort`. */
export function orderIn(sort: Pick<PatientSort, "by">, keys: ListSortKeys): ListOrder {
  return sort.by === "name" ? keys.name : [sort.by === "lastVisit" ? keys.lastVisit : keys.createdAt];
}

interface Named {
  firstName: string;
  lastName: string;
}

/** Most names: nothing to decompose or drop. */
const ASCII_LETTERS = /^[A-Za-z]*$/;
/**
 * A name's order value as the name alone suggests it: its ASCII letters in lower case, marks dropped. Only a guess
 * at the SQL's search_key, trusted for a row only where the server found them equal (pageRowOf); being plain ASCII
 * letters from a decomposition Unicode never changes, every JavaScript engine guesses alike.
 */
const guessedKey = (name: string) =>
  ASCII_LETTERS.test(name)
    ? name.toLowerCase()
    : name
        .normalize("NFD")
        .toLowerCase()
        .replace(/[^a-z]/g, "");
const guessedOrder = (row: Named): [string, string] => [guessedKey(row.lastName), guessedKey(row.firstName)];

/** Whether guessedKey(name) is `key`, without building the guess where the name is plain ASCII letters (every row of
 *  a page in name order asks). */
function guessIs(name: string, key: string): boolean {
  if (name.length === key.length) {
    let at = 0;
    for (; at < name.length; at++) {
      const code = name.charCodeAt(at);
      const lower = code >= 65 && code <= 90 ? code + 32 : code;
      if (lower < 97 || lower > 122 || lower !== key.charCodeAt(at)) break;
    }
    if (at === name.length) return true;
  }
  return guessedKey(name) === key;
}

/** The order values a page sends with a row (see pageRowOf): none in name order where the names alone tell them. */
export function sentOrder(sort: Pick<PatientSort, "by">, row: Named, keys: ListSortKeys): ListOrder | undefined {
  if (sort.by === "name" && guessIs(row.lastName, keys.name[0]) && guessIs(row.firstName, keys.name[1])) return;
  return orderIn(sort, keys);
}

/**
 * A row as a page sends it, in a list sorted by `sort`: with its order values, except in name order where the names
 * alone tell them (most patients), which `orderOf` guesses again. Pages stay small.
 */
export function pageRowOf<Row extends Named>(
  sort: Pick<PatientSort, "by">,
  { sortKeys, ...row }: Row & { sortKeys: ListSortKeys },
): Omit<Row, "sortKeys"> & { order?: ListOrder } {
  const sent: Omit<Row, "sortKeys"> & { order?: ListOrder } = row;
  const order = sentOrder(sort, row, sortKeys);
  if (order) sent.order = order;
  return sent;
}

/** A page's row's order values (see pageRowOf). */
export function orderOf(row: Named & { order?: ListOrder }): ListOrder {
  return row.order ?? guessedOrder(row);
}

export interface PlaceableRow {
  status: "active" | "inactive" | "new";
  archived: boolean;
  clinicId: number;
}

/**
 * Whether a list with these filters holds the row: true or false; null when it depends on a search, which only
 * the server decides (its terms, its ranks).
 */
export function listHolds(filters: Partial<PatientFilters>, row: PlaceableRow): boolean | null {
  const archived = filters.archived ?? "exclude";
  if (archived === "exclude" && row.archived) return false;
  if (archived === "only" && !row.archived) return false;
  if (filters.clinicId !== undefined && filters.clinicId !== row.clinicId) return false;
  const status = filters.status ?? "all";
  if (status !== "all" && status !== row.status) return false;
  return filters.search?.trim() ? null : true;
}

/** Code point order, as PostgreSQL's byte order of UTF-8 text. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = (left[index]?.codePointAt(0) ?? 0) - (right[index]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

function compareValue(a: string | number | null | undefined, b: string | number | null | undefined): number {
  if (typeof a === "string" && typeof b === "string") return compareText(a, b);
  // null is "never" (the last-visit key's -infinity): the earliest.
  const left = typeof a === "number" ? a : -Infinity;
  const right = typeof b === "number" ? b : -Infinity;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Negative when `a` comes before `b` in a list sorted by `sort` (without a search): its order values, then id. */
export function compareInList(
  sort: Pick<PatientSort, "direction">,
  a: Named & { id: number; order?: ListOrder },
  b: Named & { id: number; order?: ListOrder },
): number {
  const [left, right] = [orderOf(a), orderOf(b)];
  let order = 0;
  for (let index = 0; index < Math.max(left.length, right.length) && order === 0; index++) {
    order = compareValue(left[index], right[index]);
  }
  order ||= a.id - b.id;
  return sort.direction === "desc" ? -order : order;
}
