// Where a row of the list belongs, from what the row itself carries (its status, archived flag, clinic and sort
// keys, all made by the server's list query): so that a client can put a changed row into the pages it holds
// exactly where a fresh page would. Pure TypeScript, so the browser can import it.
import type { PatientFilters, PatientSort } from "./list-input.ts";

/** A row's values for each order of the list (see SORT_KEYS in list.ts), then its id: the list's unique order. */
export interface ListSortKeys {
  /** The normalised last and first names, compared in byte order (as the column's "C" collation). */
  name: [string, string];
  /** The last visit in epoch ms; null (never visited) sorts as the earliest. */
  lastVisit: number | null;
  /** When the record was created, in epoch ms. */
  createdAt: number;
}

export interface PlaceableRow {
  id: number;
  status: "active" | "inactive" | "new";
  archived: boolean;
  clinicId: number;
  sortKeys: ListSortKeys;
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

const compareNumber = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

/** Negative when `a` comes before `b` in a list sorted by `sort` (without a search). */
export function compareInList(sort: PatientSort, a: PlaceableRow, b: PlaceableRow): number {
  let order = 0;
  if (sort.by === "name") {
    order = compareText(a.sortKeys.name[0], b.sortKeys.name[0]) || compareText(a.sortKeys.name[1], b.sortKeys.name[1]);
  } else if (sort.by === "lastVisit") {
    order = compareNumber(a.sortKeys.lastVisit ?? -Infinity, b.sortKeys.lastVisit ?? -Infinity);
  } else {
    order = compareNumber(a.sortKeys.createdAt, b.sortKeys.createdAt);
  }
  order ||= compareNumber(a.id, b.id);
  return sort.direction === "desc" ? -order : order;
}
