// Appointments: a patient's history, booking, status changes (which keep the last visit right), rescheduling.
import {
  type AppointmentReach,
  appointmentHistoryInput,
  bookAppointment,
  bookAppointmentInput,
  listPatientAppointments,
  lockAppointmentState,
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
  listByPatient: procedure.input(appointmentHistoryInput).query(async ({ ctx, input }) => {
    const page = await listPatientAppointments(ctx.em, input, scopeOf(ctx.grant), { cursorSecret: ctx.cursorSecret });
    // The patient's clinic is filled in when the entry is written.
    ctx.audit.note({
      action: "appointment.list",
      patientId: input.patientId,
      details: { firstPage: !input.cursor, shown: page.items.length },
    });
    return page;
  }),

  /** Books a visit at the patient's clinic; CONFLICT (with the clashing visit) when the dentist is busy. */
  create: procedure.input(bookAppointmentInput).mutation(async ({ ctx, input }) => {
    const appointment = await bookAppointment(ctx.em, input, reachOf(ctx.grant));
    ctx.audit.note({
      action: "appointment.create",
      patientId: input.patientId,
      clinicId: appointment.clinic.id,
      details: {
        appointmentId: appointment.id,
        startsAt: appointment.startsAt.toISOString(),
        dentistId: appointment.dentist.id,
        serviceId: appointment.service.id,
        status: appointment.status,
      },
    });
    return appointment;
  }),

  /** Any status change the front desk needs; returns the appointment and the patient's fresh last visit. */
  setStatus: procedure.input(setAppointmentStatusInput).mutation(async ({ ctx, input }) => {
    const before = await lockAppointmentState(ctx.em, input.id);
    const change = await setAppointmentStatus(ctx.em, input, reachOf(ctx.grant), ctx.now);
    ctx.audit.note({
      action: "appointment.status",
      patientId: change.patient.id,
      clinicId: change.appointment.clinic.id,
      details: { appointmentId: change.appointment.id, from: before?.status ?? null, to: change.appointment.status },
    });
    return change;
  }),

  /** Moves a visit (and optionally to another dentist of its clinic); same result shape as setStatus. */
  reschedule: procedure.input(rescheduleAppointmentInput).mutation(async ({ ctx, input }) => {
    const before = await lockAppointmentState(ctx.em, input.id);
    const change = await rescheduleAppointment(ctx.em, input, reachOf(ctx.grant), ctx.now);
    const { appointment } = change;
    ctx.audit.note({
      action: "appointment.reschedule",
      patientId: change.patient.id,
      clinicId: appointment.clinic.id,
      details: {
        appointmentId: appointment.id,
        from: before && { startsAt: before.startsAt.toISOString(), dentistId: before.dentistId },
        to: { startsAt: appointment.startsAt.toISOString(), dentistId: appointment.dentist.id },
      },
    });
    return change;
  }),
});
