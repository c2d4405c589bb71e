// A patient's record: read, create (with the duplicate warning), edit (optimistic concurrency), archive, restore.
// Another clinic's patient is NOT_FOUND to clinic-scoped staff; who may call what is in the policy table.
import {
  archivePatient,
  createPatient,
  getPatientRecord,
  patientCreateInput,
  patientIdInput,
  patientUpdateInput,
  restorePatient,
  updatePatient,
} from "@chairside/db";
import { procedure } from "../trpc/trpc.ts";
import { scopeOf } from "./scope.ts";

export const patientRecordProcedures = {
  /** The whole record with last visit, next appointment and visit counts: one SQL statement, never a write. */
  byId: procedure
    .input(patientIdInput)
    .query(({ ctx, input }) => getPatientRecord(ctx.em, input.id, scopeOf(ctx.grant), ctx.now)),

  /** A likely duplicate is a CONFLICT naming the matches unless `confirmDuplicate`; a taken email always is. */
  create: procedure
    .input(patientCreateInput)
    .mutation(({ ctx, input }) => createPatient(ctx.em, input, scopeOf(ctx.grant), ctx.now)),

  /** Saves the changed fields of the `version` the user edited; a stale version is a CONFLICT with the current record. */
  update: procedure
    .input(patientUpdateInput)
    .mutation(({ ctx, input }) => updatePatient(ctx.em, input, scopeOf(ctx.grant), ctx.now)),

  archive: procedure
    .input(patientIdInput)
    .mutation(({ ctx, input }) => archivePatient(ctx.em, input.id, scopeOf(ctx.grant), ctx.now)),

  restore: procedure
    .input(patientIdInput)
    .mutation(({ ctx, input }) => restorePatient(ctx.em, input.id, scopeOf(ctx.grant), ctx.now)),
};
