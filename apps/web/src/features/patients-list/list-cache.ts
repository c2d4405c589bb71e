// Keeps the cached list pages in step with a change made elsewhere (an edit, an archive, a completed visit),
// so the row updates at once without reloading every loaded page. The lists are then marked stale: the next
// time one is shown it is fetched again in the server's order.
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import type { PatientListRow } from "./use-patient-list.ts";

type ListPage = RouterOutputs["patients"]["list"];

/** The archived filter a cached list was fetched with (its input is the second part of its key). */
function archivedFilterOf(queryKey: readonly unknown[]): unknown {
  const meta = queryKey[1];
  if (typeof meta !== "object" || meta === null || !("input" in meta)) return undefined;
  const input = meta.input;
  return typeof input === "object" && input !== null && "archived" in input ? input.archived : undefined;
}

/** Puts a patient's row, as a write returned it, into every cached list that holds it; a row that left a
 *  list's filter is removed. */
export function patchPatientInLists(queryClient: QueryClient, changed: PatientListRow): void {
  const patientId = changed.id;
  const lists = queryClient.getQueryCache().findAll({ queryKey: getQueryKey(trpc.patients.list) });
  for (const list of lists) {
    const archivedFilter = archivedFilterOf(list.queryKey);
    queryClient.setQueryData<InfiniteData<ListPage>>(list.queryKey, (data) => {
      if (!data) return data;
      return {
        ...data,
        pages: data.pages.map((page) => {
          if (!page.items.some((row) => row.id === patientId)) return page;
          const items = page.items.flatMap((row) => {
            if (row.id !== patientId) return [row];
            const next = changed;
            const leaves =
              (archivedFilter === "exclude" && next.archived) || (archivedFilter === "only" && !next.archived);
            return leaves ? [] : [next];
          });
          return { ...page, items };
        }),
      };
    });
  }
  void queryClient.invalidateQueries({ queryKey: getQueryKey(trpc.patients.list), refetchType: "none" });
  void queryClient.invalidateQueries({ queryKey: getQueryKey(trpc.patients.counts) });
}

/** A new patient: every list may now hold them somewhere, so the lists and counts are fetched again. */
export function refreshLists(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: getQueryKey(trpc.patients.list) });
  void queryClient.invalidateQueries({ queryKey: getQueryKey(trpc.patients.counts) });
}
