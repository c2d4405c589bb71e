// Appointments: a patient's history, booking, status changes (which keep the last visit right), rescheduling.
import {
  appointmentHistoryInput,
  bookAppointmentInput,
  rescheduleAppointmentInput,
  setAppointmentStatusInput,
} from "@chairside/db";
import { procedure, router } from "../trpc/trpc.ts";

export const appointmentsRouter = router({
  /** A patient's visits, newest first: one SQL statement per page; another clinic's patient is NOT_FOUND. */
  listByPatient: procedure.input(appointmentHistoryInput).query(async ({ ctx, input }) => {
    const page = await ctx.db.appointments.history(input);
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
    const appointment = await ctx.db.appointments.book(input);
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
    const before = await ctx.db.appointments.lockState(input.id);
    const change = await ctx.db.appointments.setStatus(input);
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
    const before = await ctx.db.appointments.lockState(input.id);
    const change = await ctx.db.appointments.reschedule(input);
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
