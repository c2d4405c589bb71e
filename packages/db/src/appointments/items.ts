// How an appointment leaves the data layer: the item a patient's history lists and every write returns,
// read with explicit columns so that nothing else (the patient, internal timestamps) leaks.
import type { EntityManager } from "@mikro-orm/postgresql";
import { localDate, type PatientStatus, patientStatus } from "../clinic-rules.ts";
import type { AppointmentStatus } from "../entities/index.ts";
import type { PatientListItem } from "../patients/list.ts";

export interface AppointmentItem {
  id: number;
  startsAt: Date;
  status: AppointmentStatus;
  completedAt: Date | null;
  notes: string;
  service: { id: number; name: string; durationMinutes: number };
  dentist: { id: number; name: string };
  clinic: { id: number; name: string };
}

/** What a status change or a move did to the patient: enough for the SPA to update their list row. */
export interface PatientVisitSummary {
  id: number;
  status: PatientStatus;
  lastVisit: PatientListItem["lastVisit"];
}

export interface AppointmentChange {
  appointment: AppointmentItem;
  patient: PatientVisitSummary;
}

/** One appointment row as ITEM_COLUMNS selects it. MikroORM's raw queries return timestamps as text. */
export interface AppointmentRow {
  id: number;
  starts_at: string;
  status: AppointmentStatus;
  completed_at: string | null;
  notes: string;
  service_id: number;
  service_name: string;
  service_duration_minutes: number;
  dentist_id: number;
  dentist_name: string;
  clinic_id: number;
  clinic_name: string;
}

/** The item's columns, on `appointment a` joined with ITEM_JOINS. */
export const ITEM_COLUMNS = `a.id, a.starts_at, a.status, a.completed_at, a.notes,
  s.id as service_id, s.name as service_name, s.duration_minutes as service_duration_minutes,
  d.id as dentist_id, d.name as dentist_name, c.id as clinic_id, c.name as clinic_name`;
export const ITEM_JOINS = `join service s on s.id = a.service_id
  join staff_member d on d.id = a.dentist_id
  join clinic c on c.id = a.clinic_id`;

/** A timestamp as PostgreSQL writes it ("2026-06-15 09:30:00+00"), as an instant. */
export const instant = (text: string): Date => new Date(text);

export function toAppointmentItem(row: AppointmentRow): AppointmentItem {
  return {
    id: row.id,
    startsAt: instant(row.starts_at),
    status: row.status,
    completedAt: row.completed_at === null ? null : instant(row.completed_at),
    notes: row.notes,
    service: { id: row.service_id, name: row.service_name, durationMinutes: row.service_duration_minutes },
    dentist: { id: row.dentist_id, name: row.dentist_name },
    clinic: { id: row.clinic_id, name: row.clinic_name },
  };
}

/** One appointment as an item (inside the caller's transaction, when there is one). */
export async function readAppointment(em: EntityManager, id: number): Promise<AppointmentItem> {
  const [row] = await em.execute<AppointmentRow[]>(
    `select ${ITEM_COLUMNS} from appointment a ${ITEM_JOINS} where a.id = ?`,
    [id],
  );
  if (!row) throw new Error(`appointment ${id} vanished while it was being read`);
  return toAppointmentItem(row);
}

interface ChangeRow extends AppointmentRow {
  patient_id: number;
  patient_time_zone: string;
  last_visit_at: string | null;
  last_visit_service: string | null;
  last_visit_dentist: string | null;
}

/**
 * An appointment and its patient's last visit and status as they stand after a change, in one statement.
 * Read inside the change's transaction, after the last_visit trigger has run: never a stale Patient entity.
 */
export async function readAppointmentChange(em: EntityManager, id: number, now: Date): Promise<AppointmentChange> {
  const [row] = await em.execute<ChangeRow[]>(
    `select ${ITEM_COLUMNS}, p.id as patient_id, pc.time_zone as patient_time_zone, p.last_visit_at,
        ls.name as last_visit_service, ld.name as last_visit_dentist
      from appointment a ${ITEM_JOINS}
      join patient p on p.id = a.patient_id
      join clinic pc on pc.id = p.clinic_id
      left join appointment lv on lv.id = p.last_visit_id
      left join service ls on ls.id = lv.service_id
      left join staff_member ld on ld.id = lv.dentist_id
      where a.id = ?`,
    [id],
  );
  if (!row) throw new Error(`appointment ${id} vanished while it was being read`);
  const timeZone = row.patient_time_zone;
  const lastVisitAt = row.last_visit_at === null ? null : instant(row.last_visit_at);
  return {
    appointment: toAppointmentItem(row),
    patient: {
      id: row.patient_id,
      status: patientStatus(lastVisitAt, timeZone, now),
      // last_visit_at is the last visit's startsAt (the trigger writes both together).
      lastVisit:
        lastVisitAt && row.last_visit_service !== null && row.last_visit_dentist !== null
          ? {
              on: localDate(lastVisitAt, timeZone),
              service: row.last_visit_service,
              dentist: row.last_visit_dentist,
            }
          : null,
    },
  };
}
