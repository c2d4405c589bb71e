// The audit trail for owners: who saw and changed what, newest first. Entries are never edited or deleted:
// there is no procedure for it, and the database refuses it (audit_entry's append_only trigger).
import { auditListInput } from "@chairside/db";
import { procedure, router } from "../trpc/trpc.ts";

export const auditRouter = router({
  /** One page of entries, filtered by patient, staff member, action and time; one SQL statement per page. */
  list: procedure.input(auditListInput).query(({ ctx, input }) => ctx.db.audit.list(input)),
});
