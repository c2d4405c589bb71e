// What a recall list request may ask for: the one definition the API validates (recall.list and the CSV export)
// and the SPA builds its queries from. Pure zod, so the browser can import it.
import { z } from "zod";
import { recordId } from "../record-id.ts";
import { PAGE_SIZE } from "./list-input.ts";

export const recallListInput = z.object({
  /** One clinic's list: recall is worked clinic by clinic. */
  clinicId: recordId,
  limit: z.number().int().min(PAGE_SIZE.min).max(PAGE_SIZE.max).default(PAGE_SIZE.default),
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor: z.string().max(1_000).nullish(),
  // @trpc/react-query's useInfiniteQuery adds the paging direction; pages only go forward.
  direction: z.enum(["forward", "backward"]).optional(),
});

/** Where the server serves a clinic's recall list as CSV (`?clinicId=N`), for the SPA's "Export CSV" link. */
export const RECALL_CSV_PATH = "/export/recall.csv";

export type RecallListInput = z.infer<typeof recallListInput>;
