import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { AUDIT_ACTIONS } from "../audit/actions.ts";
import { AuditRepository } from "../audit/repository.ts";
import { Patient } from "./patient.ts";
import { StaffMember } from "./staff-member.ts";

/**
 * One line of the audit trail: who (staff member, or the email a sign-in tried), from where, did what to which
 * patient, and when. Append-only: the database refuses to change or delete an entry (see the trigger).
 */
export const AuditEntry = defineEntity({
  name: "AuditEntry",
  repository: () => AuditRepository,
  properties: {
    id: p.bigint("number").primary().autoincrement(),
    /** When the request was made (the request's clock, not the write's: read entries are written in batches). */
    at: p.datetime(3),
    /** null for a failed sign-in, where nobody is known. */
    staff: () => p.manyToOne(StaffMember).ref().nullable().deleteRule("no action"),
    /** The email a sign-in was attempted with. */
    email: p.string().length(320).nullable(),
    /** The clinic the entry concerns. A plain number, not a foreign key: a list filter may name any clinic. */
    clinicId: p.integer().nullable(),
    patient: () => p.manyToOne(Patient).ref().nullable().deleteRule("no action"),
    action: p.enum(AUDIT_ACTIONS),
    /** What else the entry says: a list's filters, the names (never the values) of edited fields, a status change. */
    details: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    clientAddress: p.string().length(64),
  },
  indexes: [
    // audit.list for one patient (the patient page), newest first, and its keyset.
    { name: "audit_entry_patient_at_idx", properties: ["patient", "at", "id"] },
    // audit.list for one staff member.
    { name: "audit_entry_staff_at_idx", properties: ["staff", "at", "id"] },
    // audit.list over everyone (and by action or dates alone), newest first.
    { name: "audit_entry_at_idx", properties: ["at", "id"] },
  ],
  triggers: [
    {
      // Append-only where no code path can get around it: no UPDATE or DELETE of an entry, from the API or
      // anywhere else. (TRUNCATE, which `db:seed` uses to replace a whole practice, is not a row change.)
      name: "append_only",
      timing: "before",
      events: ["update", "delete"],
      forEach: "row",
      body: `raise exception 'the audit trail is append-only: % of an entry is not allowed', TG_OP
        using errcode = 'insufficient_privilege';`,
    },
  ],
});

export type AuditEntry = InferEntity<typeof AuditEntry>;
