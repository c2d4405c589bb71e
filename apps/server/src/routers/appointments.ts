// Appointments: a patient's history, booking, status changes (which keep the last visit right), rescheduling.
import {
  type AppointmentReach,
  appointmentHistoryInput,
  bookAppointment,
  bookAppointmentInput,
  listPatientAppointments,
  rescheduleAppointment,
  rescheduleAppointmentInput,
  setAppointmentStatus,
  setAppointmentStatusInput,
} from "@chairside/db";
import type { Grant } from "../trpc/trpc.ts";
import { procedure, router } from "../trpc/trpc.ts";
import { scopeOf } from "./scope.ts";

/** The clinics the caller may touch, and for a dentist ("own" reach) their own appointments only. */
function reachOf(grant: Grant | null): AppointmentReach {
  return { ...scopeOf(grant), onlyDentistId: grant?.reach === "own" ? grant.staffId : null };
}

export const appointmentsRouter = router({
  /** A patient's visits, newest first: one SQL statement per page; another clinic's patient is NOT_FOUND. */
  listByPatient: procedure
    .input(appointmentHistoryInput)
    .query(({ ctx, input }) =>
      listPatientAppointments(ctx.em, input, scopeOf(ctx.grant), { cursorSecret: ctx.cursorSecret }),
    ),

  /** Books a visit at the patient's clinic; CONFLICT (with the clashing visit) when the dentist is busy. */
  create: procedure
    .input(bookAppointmentInput)
    .mutation(({ ctx, input }) => bookAppointment(ctx.em, input, reachOf(ctx.grant))),

  /** Any status change the front desk needs; returns the appointment and the patient's fresh last visit. */
  setStatus: procedure
    .input(setAppointmentStatusInput)
    .mutation(({ ctx, input }) => setAppointmentStatus(ctx.em, input, reachOf(ctx.grant), ctx.now)),

  /** Moves a visit (and optionally to another dentist of its clinic); same result shape as setStatus. */
  reschedule: procedure
    .input(rescheduleAppointmentInput)
    .mutation(({ ctx, input }) => rescheduleAppointment(ctx.em, input, reachOf(ctx.grant), ctx.now)),
});
