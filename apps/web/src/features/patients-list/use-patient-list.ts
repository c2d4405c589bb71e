// The patient list's data: pages of trpc.patients.list for the view's filters and sort, flattened into rows.

import { PAGE_SIZE } from "@chairside/db/list-options";
import { keepPreviousData } from "@tanstack/react-query";
import { useMemo } from "react";
import { listFilters, type PatientsView } from "../../app/patients-view.ts";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";

export type PatientListRow = RouterOutputs["patients"]["list"]["items"][number];

export const LIST_PAGE_SIZE = PAGE_SIZE.default;

export function patientListInput(view: PatientsView) {
  return { ...listFilters(view), sort: view.sort, limit: LIST_PAGE_SIZE };
}

/** The tabs' counts follow the search and the clinic, not the tab or the sort. */
export function patientCountsInput(view: PatientsView) {
  return { search: view.search || undefined, clinicId: view.clinicId };
}

export function usePatientList(view: PatientsView) {
  const input = patientListInput(view);
  const query = trpc.patients.list.useInfiniteQuery(input, {
    getNextPageParam: (page) => page.nextCursor,
    // While another filter's first page loads, the old rows stay (dimmed) instead of flashing a skeleton.
    // Each filter has its own cache entry, so a slow response to an older search never replaces a newer one.
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  return { query, rows, inputKey: JSON.stringify(input) };
}
