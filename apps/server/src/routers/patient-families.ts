// Families and merges: linking a patient into a family and out of it (the front desk), and an owner's merge of two
// records of one person. Each is audited on every record it changes; who may call what is in the policy table.
import { familyLinkInput, familyUnlinkInput, patientMergeInput } from "@chairside/db";
import { procedure } from "../trpc/trpc.ts";

export const patientFamilyProcedures = {
  /** Puts the patient in the family of `familyOf`; CONFLICT when stale, merged, or a guarantor with members. */
  linkFamily: procedure.input(familyLinkInput).mutation(async ({ ctx, input }) => {
    const { patient, from, to } = await ctx.db.patients.linkFamily(input);
    ctx.audit.note({
      action: "patient.family",
      patientId: patient.id,
      clinicId: patient.clinic.id,
      details: { change: "link", familyOf: input.familyOf, from, to, fromVersion: input.version },
    });
    return patient;
  }),

  /** Takes the patient out of their family; CONFLICT when they would share an email with patients not theirs. */
  unlinkFamily: procedure.input(familyUnlinkInput).mutation(async ({ ctx, input }) => {
    const { patient, from, to } = await ctx.db.patients.unlinkFamily(input);
    ctx.audit.note({
      action: "patient.family",
      patientId: patient.id,
      clinicId: patient.clinic.id,
      details: { change: "unlink", from, to, fromVersion: input.version },
    });
    return patient;
  }),

  /** Owners: merges `mergeId` into `keepId` (both at the versions compared) and returns the kept record. */
  merge: procedure.input(patientMergeInput).mutation(async ({ ctx, input }) => {
    const { patient, moved } = await ctx.db.patients.mergeRecords(input);
    const details = { keptId: input.keepId, mergedId: input.mergeId, moved };
    ctx.audit.note({ action: "patient.merge", patientId: input.keepId, clinicId: patient.clinic.id, details });
    // The merged record's own entry: its clinic is filled in when the entry is written.
    ctx.audit.note({ action: "patient.merge", patientId: input.mergeId, details });
    return patient;
  }),
};
