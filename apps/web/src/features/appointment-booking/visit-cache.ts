// After a booking or a move, the open record follows at once: the visit goes to its place in the loaded history
// (newest first, as the server orders it), and the record (next appointment, counts) is fetched again.
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";

export type Visit = RouterOutputs["appointments"]["listByPatient"]["items"][number];
type HistoryPage = RouterOutputs["appointments"]["listByPatient"];

/** The history's order: later first, then the higher id (as appointments.listByPatient pages). */
const comesBefore = (a: Visit, b: Visit) =>
  a.startsAt.getTime() !== b.startsAt.getTime() ? a.startsAt > b.startsAt : a.id > b.id;

/**
 * The loaded pages with `visit` at its place (and no longer where it was). A visit that sorts past the last loaded
 * page is left for that page's fetch: the pages' keyset cursors will bring it.
 */
export function placeVisit(data: InfiniteData<HistoryPage>, visit: Visit): InfiniteData<HistoryPage> {
  const pages = data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== visit.id) }));
  let placed = false;
  for (const page of pages) {
    const at = page.items.findIndex((item) => comesBefore(visit, item));
    if (at >= 0) {
      page.items.splice(at, 0, visit);
      placed = true;
      break;
    }
  }
  const last = pages.at(-1);
  if (!placed && last && last.nextCursor === null) last.items.push(visit);
  return { ...data, pages };
}

/** Shows a booked or moved visit in the patient's loaded history and refreshes their record. */
export function showSavedVisit(queryClient: QueryClient, patientId: number, visit: Visit): void {
  queryClient.setQueriesData<InfiniteData<HistoryPage>>(
    { queryKey: getQueryKey(trpc.appointments.listByPatient, { patientId }, "infinite") },
    (data) => (data ? placeVisit(data, visit) : data),
  );
  // The next appointment and the visit counts are the server's to derive (which statuses count, "now").
  void queryClient.invalidateQueries({ queryKey: getQueryKey(trpc.patients.byId, { id: patientId }, "query") });
}
