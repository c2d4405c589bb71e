// What an appointment was before a change, for the entry that records the change ("from confirmed to missed").
import type { EntityManager } from "@mikro-orm/postgresql";
import type { AppointmentStatus } from "../entities/index.ts";

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
  const [row] = await em.execute<
    { patient_id: number; status: AppointmentStatus; starts_at: string; dentist_id: number }[]
  >("select patient_id, status, starts_at, dentist_id from appointment where id = ? for update", [id]);
  return row
    ? { patientId: row.patient_id, status: row.status, startsAt: new Date(row.starts_at), dentistId: row.dentist_id }
    : null;
}
