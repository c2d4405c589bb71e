// Who may book and change which appointments: clinic staff within their clinics, dentists only their own.
// Outside the caller's clinics an appointment or patient is NOT_FOUND (never revealed); a colleague's
// appointment in their own clinic is FORBIDDEN (they can see it in the history anyway).
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { Appointment } from "../entities/index.ts";
import { ChairsideError } from "../errors.ts";
import type { RequestScope } from "../scope.ts";

/** A dentist books only themselves. */
export function assertMayBookDentist(request: RequestScope, dentistId: number): void {
  if (request.onlyDentistId !== null && request.onlyDentistId !== dentistId) {
    throw new ChairsideError("FORBIDDEN", "a dentist may only book appointments with themselves");
  }
}

/** The appointment, locked until the transaction ends, if the caller may change it. */
export async function appointmentToChange(request: RequestScope, em: EntityManager, id: number): Promise<Appointment> {
  const appointment = await em.findOne(Appointment, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!appointment || !request.clinics.reaches(appointment.clinic.id)) {
    throw new ChairsideError("NOT_FOUND", "no such appointment");
  }
  if (request.onlyDentistId !== null && appointment.dentist.id !== request.onlyDentistId) {
    throw new ChairsideError("FORBIDDEN", "only the appointment's own dentist (or the front desk) may change it");
  }
  return appointment;
}

/** A domain BAD_REQUEST about one input field, shaped like zod's flattened field issues. */
export function fieldError(field: string, message: string): ChairsideError<{ fieldErrors: Record<string, string[]> }> {
  return new ChairsideError("BAD_REQUEST", `${field}: ${message}`, { fieldErrors: { [field]: [message] } });
}
