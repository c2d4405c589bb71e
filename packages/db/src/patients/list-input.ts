// What a patient list request may ask for: the one definition the API validates and the SPA builds URLs from.
// Pure zod, so the browser can import it.
import { z } from "zod";
import { recordId } from "../record-id.ts";
import { storableText } from "../text.ts";
import { ARCHIVED_FILTERS, PAGE_SIZE, PATIENT_LIST_TABS, PATIENT_SORT_KEYS, SORT_DIRECTIONS } from "./list-options.ts";

export * from "./list-options.ts";

export const patientSort = z.object({
  by: z.enum(PATIENT_SORT_KEYS),
  direction: z.enum(SORT_DIRECTIONS),
});

export const patientFilters = z.object({
  /** Names (any order; accents, case and marks ignored), email, phone digits, a date of birth, a patient number:
   *  see patients/search.ts. */
  search: storableText().trim().max(100).optional(),
  status: z.enum(PATIENT_LIST_TABS).default("all"),
  archived: z.enum(ARCHIVED_FILTERS).default("exclude"),
  clinicId: recordId.optional(),
});

export const patientListInput = patientFilters.extend({
  limit: z.number().int().min(PAGE_SIZE.min).max(PAGE_SIZE.max).default(PAGE_SIZE.default),
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor: z.string().max(1_000).nullish(),
  sort: patientSort.default({ by: "name", direction: "asc" }),
  // @trpc/react-query's useInfiniteQuery adds the paging direction; pages only go forward.
  direction: z.enum(["forward", "backward"]).optional(),
});

export type PatientSort = z.infer<typeof patientSort>;
export type PatientFilters = z.infer<typeof patientFilters>;
export type PatientListInput = z.infer<typeof patientListInput>;

/** Rows to re-read by id (a list following other desks' changes): at most a page's worth, each once. */
export const patientRowsInput = z.object({
  ids: z
    .array(recordId)
    .min(1)
    .max(PAGE_SIZE.max)
    .refine((ids) => new Set(ids).size === ids.length, "each id once"),
});

/** Following the changed patients: the id of the last event seen, which the SSE link sends back on reconnecting. */
export const patientChangesInput = z.object({ lastEventId: z.string().max(100).nullish() }).optional();
