// What the audit trail records and what `audit.list` accepts. Pure zod, so the browser can import it
// (the SPA's filter by action, its labels).
import { z } from "zod";
import { PAGE_SIZE } from "../patients/list-input.ts";
import { recordId } from "../record-id.ts";

/** Every kind of entry. Adding one needs a migration: the column's CHECK lists them. */
export const AUDIT_ACTIONS = [
  "patient.list",
  "patient.count",
  "patient.view",
  "patient.create",
  "patient.update",
  "patient.archive",
  "patient.restore",
  "patient.family",
  "patient.merge",
  "appointment.list",
  "appointment.create",
  "appointment.status",
  "appointment.reschedule",
  "recall.list",
  "recall.export",
  "login.success",
  "login.failure",
  "logout",
  "alert.add",
  "alert.update",
  "alert.remove",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditListInput = z.object({
  patientId: recordId.optional(),
  staffId: recordId.optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  /** Entries at or after this instant. */
  from: z.date().optional(),
  /** Entries before this instant. */
  to: z.date().optional(),
  limit: z.number().int().min(PAGE_SIZE.min).max(PAGE_SIZE.max).default(PAGE_SIZE.default),
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor: z.string().max(1_000).nullish(),
  // @trpc/react-query's useInfiniteQuery adds the paging direction; pages only go forward.
  direction: z.enum(["forward", "backward"]).optional(),
});

export type AuditListInput = z.infer<typeof auditListInput>;
