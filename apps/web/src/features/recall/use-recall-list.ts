// A clinic's recall list: pages of trpc.recall.list (overdue first), flattened into rows.
import { PAGE_SIZE } from "@chairside/db/schemas";
import { useMemo } from "react";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";

export type RecallRow = RouterOutputs["recall"]["list"]["items"][number];

export function useRecallList(clinicId: number) {
  const query = trpc.recall.list.useInfiniteQuery(
    { clinicId, limit: PAGE_SIZE.default },
    { getNextPageParam: (page) => page.nextCursor },
  );
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  return { query, rows };
}
