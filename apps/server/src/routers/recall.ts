// Recall: a clinic's patients due back (clinic-rules.ts), overdue first. `list` is the Recall view's infinite
// scroll and the examples' service; `export` is one page of the CSV export, which GET /export/recall.csv
// (export/recall-csv.ts) calls page by page, so that both go through the policy table and the audit trail.
import { type RecallListInput, type RecallListPage, recallListInput } from "@chairside/db";
import type { AuditNote } from "../trpc/audit.ts";
import { procedure, router } from "../trpc/trpc.ts";

/** One entry per page, naming the patients it showed (ids only: the trail holds no health data). */
function pageAudit(action: "recall.list" | "recall.export", input: RecallListInput, page: RecallListPage): AuditNote {
  return {
    action,
    clinicId: input.clinicId,
    details: {
      clinicId: input.clinicId,
      firstPage: !input.cursor,
      shown: page.items.length,
      patients: page.items.map((item) => item.id),
    },
  };
}

export const recallRouter = router({
  /** One page of the clinic's recall list: exactly one SQL statement, keyset-paginated, never a write. */
  list: procedure.input(recallListInput).query(async ({ ctx, input }) => {
    const page = await ctx.db.patients.dueForRecall(input);
    ctx.audit.note(pageAudit("recall.list", input, page));
    return page;
  }),

  /** The same page for the CSV export, audited as an export: the patients' details leave Chairside. */
  export: procedure.input(recallListInput).query(async ({ ctx, input }) => {
    const page = await ctx.db.patients.dueForRecall(input);
    ctx.audit.note(pageAudit("recall.export", input, page));
    return page;
  }),
});
