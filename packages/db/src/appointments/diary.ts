// A dentist's diary: who can be booked at a clinic, and no two booked visits of one dentist overlapping.
// Every write that puts a visit into a diary first locks the dentist's row, so two front desks booking the
// same dentist at once take turns, and the second one's clash check sees the first one's visit.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { AppointmentStatus } from "../entities/index.ts";
import { ChairsideError } from "../errors.ts";
import { fieldError } from "./access.ts";
import { instant } from "./items.ts";
import { occupiesChairSql } from "./statuses.ts";

interface DentistRow {
  id: number;
  name: string;
  role: string;
  archived: boolean;
  works_at_clinic: boolean;
}

// The diary lock is the dentist's row, held until the transaction ends. `NO KEY UPDATE` queues other bookings
// of the same dentist behind this one, yet lets writes that merely reference the dentist (an appointment's
// foreign key) go through.
const LOCK = "for no key update";

/** Locks the diary of a dentist who can take appointments at the clinic; BAD_REQUEST on `dentistId` otherwise. */
export async function lockBookableDentist(em: EntityManager, dentistId: number, clinicId: number): Promise<void> {
  const [dentist] = await em.execute<DentistRow[]>(
    `select m.id, m.name, m.role, m.archived,
        exists(select 1 from staff_member_clinics mc where mc.staff_member_id = m.id and mc.clinic_id = ?) as works_at_clinic
      from staff_member m where m.id = ? ${LOCK}`,
    [clinicId, dentistId],
  );
  if (dentist?.role !== "dentist") throw fieldError("dentistId", "no such dentist");
  if (dentist.archived) throw fieldError("dentistId", `${dentist.name} no longer takes appointments`);
  if (!dentist.works_at_clinic) throw fieldError("dentistId", `${dentist.name} does not work at the patient's clinic`);
}

/** Locks a dentist's diary without judging them (e.g. to reinstate a visit with its original dentist). */
export async function lockDiary(em: EntityManager, dentistId: number): Promise<void> {
  await em.execute(`select 1 from staff_member where id = ? ${LOCK}`, [dentistId]);
}

/** The visit a new one would overlap, as the CONFLICT's details show it (no patient, no notes). */
export interface AppointmentClash {
  id: number;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  service: { id: number; name: string; durationMinutes: number };
}

interface ClashRow {
  id: number;
  starts_at: string;
  status: AppointmentStatus;
  service_id: number;
  service_name: string;
  duration_minutes: number;
}

export interface DiarySlot {
  dentistId: number;
  startsAt: Date;
  durationMinutes: number;
  /** The appointment being moved or reinstated, which cannot clash with itself. */
  appointmentId: number | null;
}

/** CONFLICT when the slot overlaps another visit that holds the dentist's chair; call with the diary locked. */
export async function refuseClash(em: EntityManager, slot: DiarySlot): Promise<void> {
  const endsAt = new Date(slot.startsAt.getTime() + slot.durationMinutes * 60_000);
  // The lower bound on starts_at (no visit lasts longer than the longest service) makes this a short range
  // of an index on (dentist_id, starts_at), rather than every visit the dentist ever had.
  const [clash] = await em.execute<ClashRow[]>(
    `select a.id, a.starts_at, a.status, s.id as service_id, s.name as service_name, s.duration_minutes
      from appointment a join service s on s.id = a.service_id
      where a.dentist_id = ? and ${occupiesChairSql("a")} and a.id <> ?
        and a.starts_at < ?::timestamptz
        and a.starts_at > ?::timestamptz - (select max(duration_minutes) from service) * interval '1 minute'
        and a.starts_at + s.duration_minutes * interval '1 minute' > ?::timestamptz
      order by a.starts_at, a.id
      limit 1`,
    [
      slot.dentistId,
      slot.appointmentId ?? 0,
      endsAt.toISOString(),
      slot.startsAt.toISOString(),
      slot.startsAt.toISOString(),
    ],
  );
  if (!clash) return;
  const clashStartsAt = instant(clash.starts_at);
  const details: { clashesWith: AppointmentClash } = {
    clashesWith: {
      id: clash.id,
      startsAt: clashStartsAt,
      endsAt: new Date(clashStartsAt.getTime() + clash.duration_minutes * 60_000),
      status: clash.status,
      service: { id: clash.service_id, name: clash.service_name, durationMinutes: clash.duration_minutes },
    },
  };
  throw new ChairsideError("CONFLICT", "the dentist already has a visit at that time", details);
}
