// The one rule for how a changed patient's row (as the server made it: a write's answer, or a re-read after another
// desk's change) enters, moves in or leaves every cached list: each list's filters decide whether it holds the row
// (listHolds: the row's own status, archived flag and clinic), and its order where (compareInList: the row's values
// in that order, which the server sends with every row), among the rows loaded so far. Whether a search list holds a row is the server's to decide: a row it shows
// is updated in place and the list is fetched again when next shown; one it may now hold has it fetched again at
// once. The tab counts are always fetched again.

import { compareInList, listHolds, pageRowOf } from "@chairside/db/list-order";
import type { PatientListInput } from "@chairside/db/schemas";
import type { InfiniteData, Query, QueryClient } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import type { PatientListRow } from "./use-patient-list.ts";

type ListPage = RouterOutputs["patients"]["list"];
type ListData = InfiniteData<ListPage>;
/** A changed patient's row as a write or a re-read returns it: with its values for every order. */
export type ChangedRow = RouterOutputs["patients"]["rows"][number];

const DEFAULT_SORT = { by: "name", direction: "asc" } as const;

/** The changed row as a list sorted by `sort` holds it. */
function asListed(changed: ChangedRow, sort: PatientListInput["sort"]): PatientListRow {
  return pageRowOf(sort, changed);
}

/** The input a cached list was fetched with (the second part of its key). */
function listInputOf(query: Query): Partial<PatientListInput> | null {
  const meta = query.queryKey[1];
  if (typeof meta !== "object" || meta === null || !("input" in meta)) return null;
  const input = meta.input;
  return typeof input === "object" && input !== null ? (input as Partial<PatientListInput>) : null;
}

const without = (data: ListData, patientId: number): ListData => ({
  ...data,
  pages: data.pages.map((page) =>
    page.items.some((row) => row.id === patientId)
      ? { ...page, items: page.items.filter((row) => row.id !== patientId) }
      : page,
  ),
});

/**
 * The row where the list's order puts it among the loaded rows. Past the last one it is added only when the list
 * has no more pages; otherwise a later page brings it (keyset pages start after their cursor's row, so an added or
 * removed row shifts nothing).
 */
function placed(data: ListData, row: PatientListRow, sort: PatientListInput["sort"]): ListData {
  const pages = data.pages.map((page) => ({ ...page, items: [...page.items] }));
  for (const page of pages) {
    const before = page.items.findIndex((loaded) => compareInList(sort, row, loaded) < 0);
    if (before >= 0) {
      page.items.splice(before, 0, row);
      return { ...data, pages };
    }
  }
  const last = pages.at(-1);
  if (!last || last.nextCursor) return data;
  last.items.push(row);
  return { ...data, pages };
}

function placeInList(queryClient: QueryClient, query: Query, changed: ChangedRow): void {
  const input = listInputOf(query);
  const data = query.state.data as ListData | undefined;
  if (!input || !data) return;
  const sort = input.sort ?? DEFAULT_SORT;
  const row = asListed(changed, sort);
  const holds = listHolds(input, row);
  if (holds === null) {
    // A search: whether it matches, and at which rank, is the server's to say. A row it holds is shown as it now is
    // (or dropped, when its tab or clinic no longer fits) and the list is fetched again when next shown; a row it
    // does not hold may now belong, so the list is fetched again now.
    const held = data.pages.some((page) => page.items.some((loaded) => loaded.id === row.id));
    const fits = listHolds({ ...input, search: undefined }, row);
    if (!held) {
      if (fits) void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true });
      return;
    }
    queryClient.setQueryData<ListData>(query.queryKey, (current) =>
      current
        ? {
            ...current,
            pages: current.pages.map((page) => ({
              ...page,
              items: page.items.flatMap((loaded) => (loaded.id !== row.id ? [loaded] : fits ? [row] : [])),
            })),
          }
        : current,
    );
    void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true, refetchType: "none" });
    return;
  }
  queryClient.setQueryData<ListData>(query.queryKey, (current) => {
    if (!current) return current;
    const rest = without(current, row.id);
    return holds ? placed(rest, row, sort) : rest;
  });
}

const listQueries = (queryClient: QueryClient) =>
  queryClient.getQueryCache().findAll({ queryKey: getQueryKey(trpc.patients.list) });

const refreshCounts = (queryClient: QueryClient) =>
  void queryClient.invalidateQueries({ queryKey: getQueryKey(trpc.patients.counts) });

/** Puts patients' rows, as the server now shows them, into every cached list (or out of it), by the one rule. */
export function placePatientsInLists(queryClient: QueryClient, rows: readonly ChangedRow[]): void {
  for (const query of listQueries(queryClient)) for (const row of rows) placeInList(queryClient, query, row);
  refreshCounts(queryClient);
}

export function placePatientInLists(queryClient: QueryClient, row: ChangedRow): void {
  placePatientsInLists(queryClient, [row]);
}

/** Patients the caller no longer sees (moved to a clinic they do not reach): out of every list. */
export function removePatientsFromLists(queryClient: QueryClient, patientIds: readonly number[]): void {
  for (const query of listQueries(queryClient)) {
    queryClient.setQueryData<ListData>(query.queryKey, (current) =>
      current ? patientIds.reduce(without, current) : current,
    );
  }
  refreshCounts(queryClient);
}

/** What the lists hold cannot be known (changes were missed): every list and count is fetched again. */
export function refreshLists(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: getQueryKey(trpc.patients.list) });
  refreshCounts(queryClient);
}
