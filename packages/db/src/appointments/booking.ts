// Booking a visit and moving one: the patient's clinic decides where, the dentist must work there, and the
// dentist's diary must be free. Each is one transaction: all of it happens, or nothing does.
import type { EntityManager } from "@mikro-orm/postgresql";
import { Appointment, Patient, Service } from "../entities/index.ts";
import { ChairsideError } from "../errors.ts";
import type { RequestScope } from "../scope.ts";
import { appointmentToChange, assertMayBookDentist, fieldError } from "./access.ts";
import { lockBookableDentist, refuseClash } from "./diary.ts";
import type { BookAppointmentInput, RescheduleAppointmentInput } from "./input.ts";
import { type AppointmentChange, type AppointmentItem, readAppointment, readAppointmentChange } from "./items.ts";
import { occupiesChair } from "./statuses.ts";

/** The `details` of a CONFLICT on a move made from an outdated view of the visit: the visit as it is now. */
export interface StaleAppointmentConflict {
  reason: "stale";
  current: AppointmentItem;
}

export async function bookAppointment(
  request: RequestScope,
  em: EntityManager,
  input: BookAppointmentInput,
): Promise<AppointmentItem> {
  return em.transactional(async (tx) => {
    const clinic = request.clinics.clinicFilter;
    const patient = await tx.findOne(Patient, clinic ? { id: input.patientId, clinic } : { id: input.patientId }, {
      fields: ["clinic", "archivedAt"],
    });
    if (!patient) throw new ChairsideError("NOT_FOUND", "no such patient");
    assertMayBookDentist(request, input.dentistId);
    if (patient.archivedAt) throw fieldError("patientId", "the patient is archived; restore their record first");
    const clinicId = patient.clinic.id;
    await lockBookableDentist(tx, input.dentistId, clinicId);
    const service = await tx.findOne(Service, input.serviceId);
    if (!service) throw fieldError("serviceId", "no such service");
    await refuseClash(tx, {
      dentistId: input.dentistId,
      startsAt: input.startsAt,
      durationMinutes: service.durationMinutes,
      appointmentId: null,
    });
    const appointment = tx.create(Appointment, {
      patient: patient.id,
      dentist: input.dentistId,
      service: service.id,
      clinic: clinicId,
      startsAt: input.startsAt,
      status: input.status,
      notes: input.notes,
    });
    await tx.flush();
    return readAppointment(tx, appointment.id);
  });
}

/**
 * Moves a visit in time and/or to another dentist of its clinic. Its status stays (a completed visit moved
 * is a corrected record; the last_visit trigger re-derives the patient's last visit in the same transaction).
 */
export async function rescheduleAppointment(
  request: RequestScope,
  em: EntityManager,
  input: RescheduleAppointmentInput,
): Promise<AppointmentChange> {
  return em.transactional(async (tx) => {
    const appointment = await appointmentToChange(request, tx, input.id);
    const { expected } = input;
    if (
      expected &&
      (expected.startsAt.getTime() !== appointment.startsAt.getTime() ||
        expected.dentistId !== appointment.dentist.id ||
        expected.status !== appointment.status)
    ) {
      const details: StaleAppointmentConflict = { reason: "stale", current: await readAppointment(tx, appointment.id) };
      throw new ChairsideError("CONFLICT", "someone else changed this visit first", details);
    }
    const dentistId = input.dentistId ?? appointment.dentist.id;
    assertMayBookDentist(request, dentistId);
    await lockBookableDentist(tx, dentistId, appointment.clinic.id);
    if (occupiesChair(appointment.status)) {
      const service = await tx.findOneOrFail(Service, appointment.service.id);
      await refuseClash(tx, {
        dentistId,
        startsAt: input.startsAt,
        durationMinutes: service.durationMinutes,
        appointmentId: appointment.id,
      });
    }
    tx.assign(appointment, { startsAt: input.startsAt, dentist: dentistId });
    await tx.flush();
    return readAppointmentChange(request, tx, appointment.id);
  });
}
