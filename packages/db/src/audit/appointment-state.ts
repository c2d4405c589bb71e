// What an appointment was before a change, for the entry that records the change ("from confirmed to missed").
import type { EntityManager } from "@mikro-orm/postgresql";
import type { AppointmentStatus } from "../entities/index.ts";
import { firstRowOf, sqlFor } from "../postgres/sql.ts";

export interface AppointmentState {
  patientId: number;
  status: AppointmentStatus;
  startsAt: Date;
  dentistId: number;
}

/**
 * Reads and locks the appointment (until the caller's transaction ends), so that the state read here is the
 * one the change starts from, however many others change it at the same moment. null when there is none; who
 * may change it is still the change's own business (this reveals nothing to the caller).
 */
export async function lockAppointmentState(em: EntityManager, id: number): Promise<AppointmentState | null> {
  const row = await firstRowOf(
    em,
    sqlFor(em)
      .selectFrom("appointment")
      .select(["patient_id", "status", "starts_at", "dentist_id"])
      .where("id", "=", id)
      .forUpdate(),
  );
  return row
    ? { patientId: row.patient_id, status: row.status, startsAt: new Date(row.starts_at), dentistId: row.dentist_id }
    : null;
}
