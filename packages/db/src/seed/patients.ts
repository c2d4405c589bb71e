// Patient rows (as COPY text) and, per patient, the plan their appointments are generated from later.
import type { Gender } from "../entities/patient.ts";
import { isoDate, type ZoneClock } from "./calendar.ts";
import { ChunkBuffer, field, instant } from "./copy-text.ts";
import {
  emailPart,
  FEMALE_NAMES,
  MALE_NAMES,
  MARKED_SURNAMES,
  PATIENT_NOTES,
  SPANISH_SURNAMES,
  SURNAMES,
} from "./names.ts";
import { CLINIC_PLACES, type ClinicPlace } from "./places.ts";
import { type Random, weighted, zipf } from "./random.ts";

/** Five years of history, counted in days back from today. */
export const HISTORY_DAYS = 5 * 365 + 1;
/** How far ahead upcoming appointments are booked. */
export const BOOKING_HORIZON_DAYS = 28;

export const PATIENT_COLUMNS = [
  "id",
  "first_name",
  "last_name",
  "email",
  "phone",
  "birthday",
  "gender",
  "address",
  "clinic_id",
  "notes",
  "created_at",
  "updated_at",
  "version",
  "archived_at",
  "recall_interval_months",
] as const;

export interface SeedCalendar {
  today: number;
  /** The start of today, UTC: nothing is created, updated or archived after it. */
  nowMs: number;
  /** One clock per clinic, indexed by clinic id - 1. */
  clocks: readonly ZoneClock[];
}

/** What the appointment pass needs to know of each patient (index = patient id - 1), in compact arrays. */
export interface PatientPlans {
  clinicIndex: Uint8Array;
  createdAt: Float64Array;
  /** Appointments fall on days in (createdDay, lastDay]. */
  createdDay: Int32Array;
  lastDay: Int32Array;
  appointmentCount: Uint16Array;
  preferredDentist: Uint16Array;
  totalAppointments: number;
}

const drawClinic = weighted(CLINIC_PLACES.map((place, index) => [index, place.share] as const));
const drawGender = weighted<Gender>([
  ["female", 48],
  ["male", 46],
  ["other", 2],
  ["unspecified", 4],
]);
/** Recall intervals in months: most patients twice a year, some at higher risk every 3 months, some low-risk yearly. */
const drawRecallInterval = weighted([
  [6, 80],
  [3, 12],
  [12, 8],
]);
const drawSurname = zipf(SURNAMES, 0.7);
const drawSpanishSurname = zipf(SPANISH_SURNAMES, 0.6);
const EMAIL_DOMAINS = ["gmail.com", "gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com", "proton.me"];
const SPANISH_EMAIL_DOMAINS = ["gmail.com", "gmail.com", "hotmail.es", "yahoo.es", "telefonica.net", "outlook.es"];

/** Visits per year of a patient who keeps coming; the exponential draw gives many occasional, few frequent. */
const MEAN_VISITS_PER_YEAR = 4.4;
const MAX_APPOINTMENTS = 150;

function lastName(random: Random, place: ClinicPlace, id: number): string {
  // Every third patient drawn one of MARKED_SURNAMES carries its marked form: chosen by id, not drawn, so the draws
  // and every other patient stay as they were.
  if (!random.chance(place.spanishSurnames)) {
    const surname = drawSurname(random);
    return (id % 3 === 0 && MARKED_SURNAMES[surname]) || surname;
  }
  const paternal = drawSpanishSurname(random);
  const maternal = drawSpanishSurname(random);
  return paternal === maternal ? paternal : `${paternal} ${maternal}`;
}

/**
 * An address people would plausibly have typed. The patient id ends the local part, so no two patients share
 * an address in any casing (the names before it contain no digits).
 */
function email(random: Random, id: number, first: string, last: string, place: ClinicPlace): string {
  const f = emailPart(first) || "patient";
  const l = emailPart(last) || "x";
  const domain = random.pick(place.spanishSurnames > 0.5 ? SPANISH_EMAIL_DOMAINS : EMAIL_DOMAINS);
  const local = [`${f}.${l}${id}`, `${f}${l}${id}`, `${f.charAt(0)}${l}${id}`, `${l}.${f}${id}`, `${f}_${l}${id}`];
  const address = `${random.pick(local)}@${domain}`;
  const casing = random.next();
  if (casing < 0.02) return address.toUpperCase();
  if (casing < 0.1)
    return address.replace(/(^|[._@])([a-z])/g, (_, separator: string, letter: string) => {
      return separator + letter.toUpperCase();
    });
  return address;
}

/** A whole second in [from, to]: edits happen at arbitrary times, but nobody needs milliseconds. */
function between(random: Random, from: number, to: number): number {
  return from + Math.floor((random.next() * (to - from)) / 1000) * 1000;
}

export function createPatientPlans(count: number): PatientPlans {
  return {
    clinicIndex: new Uint8Array(count),
    createdAt: new Float64Array(count),
    createdDay: new Int32Array(count),
    lastDay: new Int32Array(count),
    appointmentCount: new Uint16Array(count),
    preferredDentist: new Uint16Array(count),
    totalAppointments: 0,
  };
}

/**
 * Yields patient rows as COPY text chunks and fills `plans`. Draws come from `random` only, in a fixed order,
 * so the same seed and today give the same bytes; the recall intervals come from `recall`, a stream of their own.
 */
export function* patientChunks(
  random: Random,
  recall: Random,
  calendar: SeedCalendar,
  dentistsByClinic: readonly (readonly number[])[],
  plans: PatientPlans,
  onRows: (done: number) => void,
): Generator<string> {
  const count = plans.clinicIndex.length;
  const buffer = new ChunkBuffer(2_000);
  const { today, nowMs } = calendar;
  for (let index = 0; index < count; index++) {
    const id = index + 1;
    const clinicIndex = drawClinic(random);
    const place = CLINIC_PLACES[clinicIndex] as ClinicPlace;
    const clock = calendar.clocks[clinicIndex] as ZoneClock;
    const gender = drawGender(random);
    const names = gender === "female" ? FEMALE_NAMES : gender === "male" ? MALE_NAMES : undefined;
    const first = random.pick(names ?? (random.chance(0.5) ? FEMALE_NAMES : MALE_NAMES));
    const last = lastName(random, place, id);

    // Older records are more common than new ones (the practice had patients before it had this software).
    const createdDay = today - 2 - Math.floor((HISTORY_DAYS - 2) * random.next() ** 0.6);
    const createdAt = clock.instant(createdDay, random.int(8 * 60, 19 * 60));
    const childhood = random.chance(0.2);
    const ageDays = Math.floor((childhood ? random.int(1, 17) : random.int(18, 95)) * 365.25) + random.int(0, 364);
    const birthDay = Math.min(today - ageDays, createdDay - random.int(1, 300));
    const archivedAt = random.chance(0.03) ? between(random, createdAt, nowMs) : null;
    const editedAt = random.chance(0.5) ? between(random, createdAt, nowMs) : createdAt;
    const updatedAt = Math.max(editedAt, archivedAt ?? 0);

    buffer.push(
      [
        id,
        field(first),
        field(last),
        random.chance(0.85) ? field(email(random, id, first, last, place)) : "\\N",
        random.chance(0.92) ? field(place.patientPhone(random)) : "\\N",
        random.chance(0.98) ? isoDate(birthDay) : "\\N",
        gender,
        random.chance(0.94) ? field(place.patientAddress(random)) : "\\N",
        clinicIndex + 1,
        random.chance(0.12) ? field(random.pick(PATIENT_NOTES)) : "",
        instant(createdAt),
        instant(updatedAt),
        1,
        instant(archivedAt),
        drawRecallInterval(recall),
      ].join("\t"),
    );

    plan(random, plans, index, today, clinicIndex, createdDay, createdAt, dentistsByClinic);
    if (buffer.full) {
      onRows(id);
      yield buffer.take();
    }
  }
  onRows(count);
  if (buffer.size) yield buffer.take();
}

/**
 * How many appointments a patient gets and over which days: ~5% never book (they stay "new"); about half
 * stop coming at some point (many of them long enough ago to be inactive); the rest keep coming and have
 * bookings up to a few weeks ahead.
 */
function plan(
  random: Random,
  plans: PatientPlans,
  index: number,
  today: number,
  clinicIndex: number,
  createdDay: number,
  createdAt: number,
  dentistsByClinic: readonly (readonly number[])[],
): void {
  const lastDay = random.chance(0.5)
    ? createdDay + 1 + Math.floor(random.next() * (today - createdDay - 1))
    : today + random.int(0, BOOKING_HORIZON_DAYS);
  const years = (lastDay - createdDay) / 365.25;
  const count = random.chance(0.05)
    ? 0
    : Math.min(MAX_APPOINTMENTS, Math.max(1, Math.round(random.exponential(MEAN_VISITS_PER_YEAR) * years)));
  plans.clinicIndex[index] = clinicIndex;
  plans.createdAt[index] = createdAt;
  plans.createdDay[index] = createdDay;
  plans.lastDay[index] = lastDay;
  plans.appointmentCount[index] = count;
  plans.preferredDentist[index] = random.pick(dentistsByClinic[clinicIndex] ?? [0]);
  plans.totalAppointments += count;
}
