// A patient's record as the record screen shows it: every field staff may see, the clinic, the derived status
// and age, the last visit, the next appointment and the visit counts. One SQL statement, never a write.
import type { EntityManager } from "@mikro-orm/postgresql";
import { ageOn, type CalendarDate, localDate, type PatientStatus, patientStatus } from "../clinic-rules.ts";
import type { AppointmentStatus } from "../entities/appointment.ts";
import type { Gender } from "../entities/patient.ts";
import { ChairsideError } from "../errors.ts";
import { type ClinicScope, clinicCondition } from "./filters.ts";

/**
 * Appointments that will not take place as booked: never the "next appointment", never counted as upcoming.
 * (A reschedule request still holds its slot until it is moved.)
 */
export const NOT_UPCOMING_STATUSES = [
  "cancelled",
  "cancel_requested",
  "completed",
  "missed",
] as const satisfies readonly AppointmentStatus[];

export interface NamedRef {
  id: number;
  name: string;
}

export interface PatientRecord {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  birthday: CalendarDate | null;
  /** Whole years on today's date in the clinic's time zone. */
  age: number | null;
  gender: Gender;
  address: string | null;
  notes: string;
  clinic: NamedRef & { timeZone: string };
  status: PatientStatus;
  archived: boolean;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Send it back with an edit: a save made from an older version is refused (see patients.update). */
  version: number;
  /** The latest completed visit; `on` is its date in the clinic's time zone. */
  lastVisit: { appointmentId: number; on: CalendarDate; startsAt: Date; service: NamedRef; dentist: NamedRef } | null;
  /** The earliest appointment still to come that is expected to take place. */
  nextAppointment: {
    appointmentId: number;
    startsAt: Date;
    status: AppointmentStatus;
    service: NamedRef;
    dentist: NamedRef;
  } | null;
  visits: { completed: number; upcoming: number; missed: number; cancelled: number };
}

/** An appointment as the record's SQL builds it (json_build_object: timestamps arrive as ISO text). */
interface AppointmentJson {
  appointmentId: number;
  startsAt: string;
  status: AppointmentStatus;
  service: NamedRef;
  dentist: NamedRef;
}

/** What the driver returns: timestamps and dates as text (MikroORM's type parsers), counts as bigint text. */
interface RecordRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  birthday: string | null;
  gender: Gender;
  address: string | null;
  notes: string;
  created_at: string;
  updated_at: string;
  version: number;
  archived_at: string | null;
  last_visit_at: string | null;
  clinic_id: number;
  clinic_name: string;
  clinic_time_zone: string;
  last_visit: AppointmentJson | null;
  next_appointment: AppointmentJson | null;
  completed: string;
  upcoming: string;
  missed: string;
  cancelled: string;
}

const appointmentJson = (a: string, service: string, dentist: string) => `json_build_object(
      'appointmentId', ${a}.id, 'startsAt', ${a}.starts_at, 'status', ${a}.status,
      'service', json_build_object('id', ${service}.id, 'name', ${service}.name),
      'dentist', json_build_object('id', ${dentist}.id, 'name', ${dentist}.name))`;

// The next appointment and the counts read the patient's appointments through appointment_patient_starts_idx,
// inside the same statement, so the whole record is one round trip.
const RECORD_SQL = `select
    p.id, p.first_name, p.last_name, p.email, p.phone, to_char(p.birthday, 'YYYY-MM-DD') as birthday,
    p.gender, p.address, p.notes, p.created_at, p.updated_at, p.version, p.archived_at, p.last_visit_at,
    c.id as clinic_id, c.name as clinic_name, c.time_zone as clinic_time_zone,
    case when lv.id is not null then ${appointmentJson("lv", "lvs", "lvd")} end as last_visit,
    (select ${appointmentJson("a", "s", "d")}
       from appointment a
       join service s on s.id = a.service_id
       join staff_member d on d.id = a.dentist_id
      where a.patient_id = p.id and a.starts_at > ?::timestamptz and a.status not in (?)
      order by a.starts_at, a.id
      limit 1) as next_appointment,
    vc.completed, vc.upcoming, vc.missed, vc.cancelled
  from patient p
  join clinic c on c.id = p.clinic_id
  left join appointment lv on lv.id = p.last_visit_id
  left join service lvs on lvs.id = lv.service_id
  left join staff_member lvd on lvd.id = lv.dentist_id
  cross join lateral (
    select count(*) filter (where a.status = 'completed') as completed,
           count(*) filter (where a.starts_at > ?::timestamptz and a.status not in (?)) as upcoming,
           count(*) filter (where a.status = 'missed') as missed,
           count(*) filter (where a.status = 'cancelled') as cancelled
      from appointment a
     where a.patient_id = p.id
  ) vc
  where p.id = ?`;

/** The record, or null when there is no such patient or the caller may not see it (the two look the same). */
export async function findPatientRecord(
  em: EntityManager,
  id: number,
  scope: ClinicScope,
  now: Date,
): Promise<PatientRecord | null> {
  const visible = clinicCondition(scope.clinicIds);
  const at = now.toISOString();
  const rows = await em.execute<RecordRow[]>(`${RECORD_SQL}${visible ? ` and ${visible.sql}` : ""}`, [
    at,
    NOT_UPCOMING_STATUSES,
    at,
    NOT_UPCOMING_STATUSES,
    id,
    ...(visible?.params ?? []),
  ]);
  const [row] = rows;
  return row ? toRecord(row, now) : null;
}

/** The record, or NOT_FOUND (also for another clinic's patient: its existence is not revealed). */
export async function getPatientRecord(
  em: EntityManager,
  id: number,
  scope: ClinicScope,
  now: Date,
): Promise<PatientRecord> {
  const record = await findPatientRecord(em, id, scope, now);
  if (!record) throw patientNotFound(id);
  return record;
}

export const patientNotFound = (id: number) => new ChairsideError("NOT_FOUND", `there is no patient ${id}`);

const instant = (text: string) => new Date(text);

function toRecord(row: RecordRow, now: Date): PatientRecord {
  const timeZone = row.clinic_time_zone;
  const lastVisitAt = row.last_visit_at ? instant(row.last_visit_at) : null;
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    birthday: row.birthday,
    age: ageOn(row.birthday, localDate(now, timeZone)),
    gender: row.gender,
    address: row.address,
    notes: row.notes,
    clinic: { id: row.clinic_id, name: row.clinic_name, timeZone },
    status: patientStatus(lastVisitAt, timeZone, now),
    archived: row.archived_at !== null,
    archivedAt: row.archived_at ? instant(row.archived_at) : null,
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
    version: row.version,
    lastVisit: row.last_visit
      ? {
          appointmentId: row.last_visit.appointmentId,
          on: localDate(instant(row.last_visit.startsAt), timeZone),
          startsAt: instant(row.last_visit.startsAt),
          service: row.last_visit.service,
          dentist: row.last_visit.dentist,
        }
      : null,
    nextAppointment: row.next_appointment
      ? { ...row.next_appointment, startsAt: instant(row.next_appointment.startsAt) }
      : null,
    visits: {
      completed: Number(row.completed),
      upcoming: Number(row.upcoming),
      missed: Number(row.missed),
      cancelled: Number(row.cancelled),
    },
  };
}
