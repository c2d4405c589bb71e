// The patient-list requests the bench measures: every filter, sort and depth the issue names.
import type { PatientListInput } from "@chairside/db";

/** What a caller sends (the schema's defaults fill in the rest). */
export type ListRequest = Partial<PatientListInput>;
/** What the list asks patients.counts for its tabs' counts: the search and clinic in view. */
export type CountsRequest = Pick<ListRequest, "search" | "clinicId">;

/** A broad search: the most common surname, typed without its accent, so thousands of patients match at scale. */
export const SEARCH_TERM = "garcia";

export interface ListShape {
  key: string;
  label: string;
  input: ListRequest;
  /** Keyset shapes continue from a cursor: "halfway" (the middle of the list) or "next" (its first page's cursor). */
  from?: "halfway" | "next";
}

export const LIST_SHAPES: ListShape[] = [
  { key: "first", label: "first page", input: {} },
  { key: "halfway", label: "page half-way through", input: {}, from: "halfway" },
  { key: "search", label: `search "${SEARCH_TERM}"`, input: { search: SEARCH_TERM } },
  { key: "search-next", label: `search "${SEARCH_TERM}", next page`, input: { search: SEARCH_TERM }, from: "next" },
  { key: "status-active", label: "status active", input: { status: "active" } },
  { key: "status-inactive", label: "status inactive", input: { status: "inactive" } },
  { key: "status-new", label: "status new", input: { status: "new" } },
  ...(["name", "lastVisit", "createdAt"] as const).flatMap((by) =>
    (["asc", "desc"] as const).map(
      (direction): ListShape => ({
        key: `sort-${by}-${direction}`,
        label: `sort ${by} ${direction}`,
        input: { sort: { by, direction } },
      }),
    ),
  ),
  ...(["lastVisit", "createdAt"] as const).map(
    (by): ListShape => ({
      key: `sort-${by}-desc-next`,
      label: `sort ${by} desc, next page`,
      input: { sort: { by, direction: "desc" } },
      from: "next",
    }),
  ),
  { key: "archived-only", label: "archived only", input: { archived: "only" } },
];

/** The tab counts the list asks for beside its first page: without a search, and with the broad one. */
export const COUNTS_SHAPES: { key: string; label: string; input: CountsRequest }[] = [
  { key: "counts", label: "tab counts (patients.counts)", input: {} },
  { key: "counts-search", label: `tab counts, search "${SEARCH_TERM}"`, input: { search: SEARCH_TERM } },
];
