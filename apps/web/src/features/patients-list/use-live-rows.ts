// Other desks' changes, live in every open list: the server says which patients changed (patients.changes,
// server-sent events with ids only), and their rows are re-read (patients.rows, in the caller's clinics) and put
// through the one rule of list-cache.ts. Changes this desk made itself come back too, and are placed again
// harmlessly. When the stream says changes were missed (a reconnect beyond the server's window, or another
// instance), the lists are fetched again.
import { PAGE_SIZE } from "@chairside/db/list-options";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { trpc } from "../../app/trpc.ts";
import { placePatientsInLists, refreshLists, removePatientsFromLists } from "./list-cache.ts";

export function useLiveRows(): void {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const waiting = useRef(new Set<number>());
  const flush = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(flush.current), []);

  const reread = async (ids: number[]) => {
    const rows = await utils.patients.rows.fetch({ ids }, { staleTime: 0 });
    placePatientsInLists(queryClient, rows);
    const gone = ids.filter((id) => !rows.some((row) => row.id === id));
    if (gone.length) removePatientsFromLists(queryClient, gone);
    // An open record follows too (only a record on screen is fetched again).
    for (const id of ids) void utils.patients.byId.invalidate({ id });
  };

  trpc.patients.changes.useSubscription(undefined, {
    onData: ({ data: event }) => {
      if (event.kind === "missed") return refreshLists(queryClient);
      if (event.kind !== "changed") return;
      waiting.current.add(event.patientId);
      // The changes of one burst (one event stream chunk) are re-read together.
      flush.current ??= setTimeout(() => {
        flush.current = undefined;
        const ids = [...waiting.current];
        waiting.current.clear();
        for (let start = 0; start < ids.length; start += PAGE_SIZE.max) {
          reread(ids.slice(start, start + PAGE_SIZE.max)).catch(() => refreshLists(queryClient));
        }
      });
    },
  });
}
