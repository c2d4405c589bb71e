// A dentist's diary: who can be booked at a clinic, and no two booked visits of one dentist overlapping.
// Every write that puts a visit into a diary first locks the dentist's row, so two front desks booking the
// same dentist at once take turns, and the second one's clash check sees the first one's visit.
import type { EntityManager } from "@mikro-orm/postgresql";
import { type Expression, expressionBuilder, sql } from "kysely";
import type { AppointmentStatus } from "../entities/index.ts";
import { ChairsideError } from "../errors.ts";
import { type ChairsideTables, firstRowOf, run, sqlFor } from "../postgres/sql.ts";
import { fieldError } from "./access.ts";
import { instant } from "./items.ts";
import { FREE_STATUSES } from "./statuses.ts";

const p = expressionBuilder<{ a: ChairsideTables["appointment"]; s: ChairsideTables["service"] }, "a" | "s">();
/** The visit holds the dentist's chair (see statuses.ts). */
const occupiesChairCondition = p("a.status", "not in", [...FREE_STATUSES]);

/** Locks the diary of a dentist who can take appointments at the clinic; BAD_REQUEST on `dentistId` otherwise. */
export async function lockBookableDentist(em: EntityManager, dentistId: number, clinicId: number): Promise<void> {
  // The diary lock is the dentist's row, held until the transaction ends. `NO KEY UPDATE` queues other bookings
  // of the same dentist behind this one, yet lets writes that merely reference the dentist (an appointment's
  // foreign key) go through.
  const db = sqlFor(em);
  const dentist = await firstRowOf(
    em,
    db
      .selectFrom("staff_member as m")
      .select((eb) => [
        "m.id",
        "m.name",
        "m.role",
        "m.archived",
        eb
          .exists(
            eb
              .selectFrom("staff_member_clinics as mc")
              .select(eb.lit(1).as("one"))
              .whereRef("mc.staff_member_id", "=", "m.id")
              .where("mc.clinic_id", "=", clinicId),
          )
          .as("works_at_clinic"),
      ])
      .where("m.id", "=", dentistId)
      .forNoKeyUpdate(),
  );
  if (dentist?.role !== "dentist") throw fieldError("dentistId", "no such dentist");
  if (dentist.archived) throw fieldError("dentistId", `${dentist.name} no longer takes appointments`);
  if (!dentist.works_at_clinic) throw fieldError("dentistId", `${dentist.name} does not work at the patient's clinic`);
}

/** Locks a dentist's diary without judging them (e.g. to reinstate a visit with its original dentist). */
export async function lockDiary(em: EntityManager, dentistId: number): Promise<void> {
  await run(em, sqlFor(em).selectFrom("staff_member").select("id").where("id", "=", dentistId).forNoKeyUpdate());
}

/** The visit a new one would overlap, as the CONFLICT's details show it (no patient, no notes). */
export interface AppointmentClash {
  id: number;
  startsAt: Date;
  endsAt: Date;
  status: AppointmentStatus;
  service: { id: number; name: string; durationMinutes: number };
}

/**
 * The `details` of a CONFLICT when the dentist is busy: the clashing visit, and the issue on `startsAt` (shaped like
 * the field issues of a BAD_REQUEST) so that a form shows it beside the time it is about.
 */
export interface DentistBusyConflict {
  reason: "dentistBusy";
  clashesWith: AppointmentClash;
  fieldErrors: { startsAt: string[] };
}

export interface DiarySlot {
  dentistId: number;
  startsAt: Date;
  durationMinutes: number;
  /** The appointment being moved or reinstated, which cannot clash with itself. */
  appointmentId: number | null;
}

const DENTIST_BUSY = "the dentist already has a visit at that time";

/** CONFLICT when the slot overlaps another visit that holds the dentist's chair; call with the diary locked. */
export async function refuseClash(em: EntityManager, slot: DiarySlot): Promise<void> {
  const endsAt = new Date(slot.startsAt.getTime() + slot.durationMinutes * 60_000);
  const at = (instant: Date) => p.cast<Date>(p.val(instant.toISOString()), "timestamptz");
  // Instants moved by a number of minutes: interval arithmetic, which the builder has no words for.
  const plusMinutes = (start: Expression<Date>, minutes: Expression<number>) =>
    sql<Date>`${start} + ${minutes} * interval '1 minute'`;
  const minusMinutes = (start: Expression<Date>, minutes: Expression<unknown>) =>
    sql<Date>`${start} - ${minutes} * interval '1 minute'`;
  const db = sqlFor(em);
  // The lower bound on starts_at (no visit lasts longer than the longest service) makes this a short range
  // of an index on (dentist_id, starts_at), rather than every visit the dentist ever had.
  const longest = db.selectFrom("service").select((eb) => eb.fn.max("duration_minutes").as("longest"));
  const clash = await firstRowOf(
    em,
    db
      .selectFrom("appointment as a")
      .innerJoin("service as s", "s.id", "a.service_id")
      .select(["a.id", "a.starts_at", "a.status", "s.id as service_id", "s.name as service_name", "s.duration_minutes"])
      .where("a.dentist_id", "=", slot.dentistId)
      .where(occupiesChairCondition)
      .where("a.id", "<>", slot.appointmentId ?? 0)
      .where("a.starts_at", "<", at(endsAt))
      .where("a.starts_at", ">", minusMinutes(at(slot.startsAt), longest))
      .where(plusMinutes(p.ref("a.starts_at"), p.ref("s.duration_minutes")), ">", at(slot.startsAt))
      .orderBy("a.starts_at")
      .orderBy("a.id")
      .limit(1),
  );
  if (!clash) return;
  const clashStartsAt = instant(clash.starts_at);
  const details: DentistBusyConflict = {
    reason: "dentistBusy",
    fieldErrors: { startsAt: [DENTIST_BUSY] },
    clashesWith: {
      id: clash.id,
      startsAt: clashStartsAt,
      endsAt: new Date(clashStartsAt.getTime() + clash.duration_minutes * 60_000),
      status: clash.status,
      service: { id: clash.service_id, name: clash.service_name, durationMinutes: clash.duration_minutes },
    },
  };
  throw new ChairsideError("CONFLICT", DENTIST_BUSY, details);
}
