// A patient's record as the record screen shows it: every field staff may see, the clinic, the derived status
// and age, the last visit, the next appointment, the visit counts, the current medical alerts, the family and
// where a merged record went. One SQL statement, never a write: the patient with its relations populated in one
// joined SELECT (the ORM's joined strategy).
import type { EntityManager, Loaded } from "@mikro-orm/postgresql";
import { inBannerOrder, type MedicalAlertItem, toAlertItem } from "../alerts/items.ts";
import { ageOn, type CalendarDate, localDate, type PatientStatus, patientStatus } from "../clinic-rules.ts";
import type { AppointmentStatus } from "../entities/appointment.ts";
import { Patient } from "../entities/index.ts";
import type { FamilyMemberRow, Gender } from "../entities/patient.ts";
import { ChairsideError } from "../errors.ts";
import type { RequestScope } from "../scope.ts";

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
  /** Months between recalls, and when the next recall falls due (null before a first visit): clinic-rules.ts. */
  recallIntervalMonths: number;
  recallDueOn: CalendarDate | null;
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
  /** The current medical alerts, most urgent kind first: what the record's banner shows. */
  alerts: MedicalAlertItem[];
  /** The patient's family, this patient included, guarantor first; null when they have none. Members at
   *  clinics the caller cannot see are left out. */
  family: FamilyMemberRow[] | null;
  /** The record this one was merged into, which carries on (this one is kept, archived, for the trail). */
  mergedInto: { id: number; firstName: string | null; lastName: string | null } | null;
}

const RECORD_RELATIONS = [
  "clinic",
  "lastVisit.service",
  "lastVisit.dentist",
  "appointments.service",
  "appointments.dentist",
  "visits",
  "alerts.notedBy",
  "family",
  "mergedInto",
] as const;

/** The record, or null when there is no such patient or the caller may not see it (the two look the same). */
export async function findPatientRecord(
  request: RequestScope,
  em: EntityManager,
  id: number,
): Promise<PatientRecord | null> {
  const clinic = request.clinics.clinicFilter;
  const patient = await em.findOne(Patient, clinic ? { id, clinic } : { id }, {
    populate: RECORD_RELATIONS,
    // Of the appointments, only those still to come: the first is the next appointment, and they are the
    // upcoming count (appointment_patient_starts_idx serves the join).
    // Of the alerts, the current ones (medical_alert_patient_idx). Joined beside the upcoming visits, the two
    // multiply the statement's rows (a few visits times a few alerts), which the ORM folds back into collections.
    populateWhere: {
      appointments: { startsAt: { $gt: request.now }, status: { $nin: [...NOT_UPCOMING_STATUSES] } },
      alerts: { removedAt: null },
    },
    populateOrderBy: { appointments: { startsAt: "asc", id: "asc" } },
    // Read-only, and what the database holds now even when this request loaded the patient before (an edit):
    // nothing is kept in, or served from, the request's identity map.
    disableIdentityMap: true,
  });
  return patient ? toRecord(patient, request.now, request.clinics.clinicIds) : null;
}

/** The record, or NOT_FOUND (also for another clinic's patient: its existence is not revealed). */
export async function getPatientRecord(request: RequestScope, em: EntityManager, id: number): Promise<PatientRecord> {
  const record = await findPatientRecord(request, em, id);
  if (!record) throw patientNotFound(id);
  return record;
}

export const patientNotFound = (id: number) => new ChairsideError("NOT_FOUND", `there is no patient ${id}`);

type LoadedPatient = Loaded<Patient, (typeof RECORD_RELATIONS)[number]>;

/** The family as the caller may see it: a family of one (or of one the caller sees) is no family to show. */
function familyShown(family: FamilyMemberRow[] | null, clinicIds: readonly number[] | null): FamilyMemberRow[] | null {
  const shown = (family ?? []).filter((member) => clinicIds === null || clinicIds.includes(member.clinicId));
  return shown.length > 1 ? shown : null;
}

/** Where a merged record went; its names only when the caller may see that record. */
function mergedIntoShown(
  into: { id: number; firstName: string; lastName: string; clinic: { id: number } },
  clinicIds: readonly number[] | null,
): PatientRecord["mergedInto"] {
  const seen = clinicIds === null || clinicIds.includes(into.clinic.id);
  return { id: into.id, firstName: seen ? into.firstName : null, lastName: seen ? into.lastName : null };
}

const named = (entity: { id: number; name: string }): NamedRef => ({ id: entity.id, name: entity.name });

function toRecord(patient: LoadedPatient, now: Date, clinicIds: readonly number[] | null): PatientRecord {
  const clinic = patient.clinic.getEntity();
  const timeZone = clinic.timeZone;
  const lastVisit = patient.lastVisit?.getEntity() ?? null;
  const upcoming = patient.appointments.getItems();
  const [next] = upcoming;
  const visits = patient.visits ?? { completed: 0, missed: 0, cancelled: 0 };
  const mergedInto = patient.mergedInto?.getEntity() ?? null;
  return {
    id: patient.id,
    firstName: patient.firstName,
    lastName: patient.lastName,
    email: patient.email ?? null,
    phone: patient.phone ?? null,
    birthday: patient.birthday ?? null,
    age: ageOn(patient.birthday, localDate(now, timeZone)),
    gender: patient.gender,
    address: patient.address ?? null,
    notes: patient.notes,
    clinic: { id: clinic.id, name: clinic.name, timeZone },
    status: patientStatus(patient.lastVisitAt, timeZone, now),
    recallIntervalMonths: patient.recallIntervalMonths,
    recallDueOn: patient.recallDueOn ?? null,
    archived: patient.archivedAt != null,
    archivedAt: patient.archivedAt ?? null,
    createdAt: patient.createdAt,
    updatedAt: patient.updatedAt,
    version: patient.version,
    lastVisit: lastVisit
      ? {
          appointmentId: lastVisit.id,
          on: localDate(lastVisit.startsAt, timeZone),
          startsAt: lastVisit.startsAt,
          service: named(lastVisit.service.getEntity()),
          dentist: named(lastVisit.dentist.getEntity()),
        }
      : null,
    nextAppointment: next
      ? {
          appointmentId: next.id,
          startsAt: next.startsAt,
          status: next.status,
          service: named(next.service.getEntity()),
          dentist: named(next.dentist.getEntity()),
        }
      : null,
    visits: {
      completed: Number(visits.completed),
      upcoming: upcoming.length,
      missed: Number(visits.missed),
      cancelled: Number(visits.cancelled),
    },
    alerts: inBannerOrder(patient.alerts.getItems().map(toAlertItem)),
    family: familyShown(patient.family ?? null, clinicIds),
    mergedInto: mergedInto ? mergedIntoShown(mergedInto, clinicIds) : null,
  };
}
