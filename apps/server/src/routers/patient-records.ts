// A patient's record: read, create (with the duplicate warning), edit (optimistic concurrency), archive, restore.
// Another clinic's patient is NOT_FOUND to clinic-scoped staff; who may call what is in the policy table.
import { type PatientUpdateInput, patientCreateInput, patientIdInput, patientUpdateInput } from "@chairside/db";
import { procedure } from "../trpc/trpc.ts";

export const patientRecordProcedures = {
  /** The whole record with last visit, next appointment and visit counts: one SQL statement, never a write. */
  byId: procedure.input(patientIdInput).query(async ({ ctx, input }) => {
    const record = await ctx.db.patients.record(input.id);
    // The family's names are other patients' data: the entry says whose were shown.
    const family = record.family?.map((member) => member.id).filter((id) => id !== record.id);
    ctx.audit.note({
      action: "patient.view",
      patientId: record.id,
      clinicId: record.clinic.id,
      ...(family ? { details: { familyShown: family } } : {}),
    });
    return record;
  }),

  /** A likely duplicate is a CONFLICT naming the matches unless `confirmDuplicate`; a taken email always is. */
  create: procedure.input(patientCreateInput).mutation(async ({ ctx, input }) => {
    const record = await ctx.db.patients.register(input);
    ctx.audit.note({
      action: "patient.create",
      patientId: record.id,
      clinicId: record.clinic.id,
      details: {
        confirmedDuplicate: input.confirmDuplicate,
        ...(input.familyOf !== undefined ? { familyOf: input.familyOf } : {}),
      },
    });
    return record;
  }),

  /** Saves the changed fields of the `version` the user edited; a stale version is a CONFLICT with the current record. */
  update: procedure.input(patientUpdateInput).mutation(async ({ ctx, input }) => {
    const record = await ctx.db.patients.edit(input);
    ctx.audit.note({
      action: "patient.update",
      patientId: record.id,
      clinicId: record.clinic.id,
      details: { fields: changedFields(input), fromVersion: input.version },
    });
    return record;
  }),

  archive: procedure.input(patientIdInput).mutation(async ({ ctx, input }) => {
    const record = await ctx.db.patients.archive(input.id);
    ctx.audit.note({ action: "patient.archive", patientId: record.id, clinicId: record.clinic.id });
    return record;
  }),

  restore: procedure.input(patientIdInput).mutation(async ({ ctx, input }) => {
    const record = await ctx.db.patients.restore(input.id);
    ctx.audit.note({ action: "patient.restore", patientId: record.id, clinicId: record.clinic.id });
    return record;
  }),
};

/** The names (never the values: the trail holds no health data) of the fields an edit sent. */
function changedFields({ id: _id, version: _version, ...fields }: PatientUpdateInput): string[] {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name)
    .sort();
}
