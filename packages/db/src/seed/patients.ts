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
  "guarantor_id",
] as const;

/** How often a patient is the child of the patient before (same surname, email, phone and address, a family). */
const CHILD_SHARE = 0.05;
/** How often a patient is registered twice: the same names and phone, no birthday or email the second time. */
const DUPLICATE_SHARE = 0.01;

/** What the next patient may take from this one, to be their child or their second record. */
interface Household {
  id: number;
  clinicIndex: number;
  gender: Gender;
  first: string;
  last: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  /** A parent who is in no family of their own as a child. */
  mayHaveChildren: boolean;
}

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

/** Whether the next patient is the child of `previous`, or a second record of them. */
function relationTo(
  random: Random,
  previous: Household | null,
): { parent: Household | null; isChild: boolean; isDuplicate: boolean } {
  // Both drawn for every patient, so that which patients are children or duplicates moves no other draw.
  const child = random.chance(CHILD_SHARE);
  const duplicate = random.chance(DUPLICATE_SHARE);
  if (previous === null) return { parent: null, isChild: false, isDuplicate: false };
  const isChild = child && previous.mayHaveChildren && previous.email !== null;
  const isDuplicate = duplicate && !isChild && previous.phone !== null;
  return { parent: isChild || isDuplicate ? previous : null, isChild, isDuplicate };
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
 * Yields patient rows as COPY text chunks and fills `plans`. Draws come from `random`, `recall` and `households`
 * only, in a fixed order, so the same seed and today give the same bytes; the recall intervals and who is a child
 * or a second record come from streams of their own, so that they change no other draw.
 */
export function* patientChunks(
  random: Random,
  recall: Random,
  /** Which patients are children or second records: a stream apart from `random`'s. */
  households: Random,
  calendar: SeedCalendar,
  dentistsByClinic: readonly (readonly number[])[],
  plans: PatientPlans,
  onRows: (done: number) => void,
): Generator<string> {
  const count = plans.clinicIndex.length;
  const buffer = new ChunkBuffer(2_000);
  const { today, nowMs } = calendar;
  let previous: Household | null = null;
  for (let index = 0; index < count; index++) {
    const id = index + 1;
    // Every draw below is made for every patient, from its drawn clinic, so that children and duplicates (decided
    // on a stream of their own) change no other patient's rows.
    const { parent, isChild, isDuplicate } = relationTo(households, previous);
    const drawnClinic = drawClinic(random);
    const clinicIndex = parent ? parent.clinicIndex : drawnClinic;
    const place = CLINIC_PLACES[drawnClinic] as ClinicPlace;
    const clock = calendar.clocks[clinicIndex] as ZoneClock;
    const drawnGender = drawGender(random);
    const names = drawnGender === "female" ? FEMALE_NAMES : drawnGender === "male" ? MALE_NAMES : undefined;
    const drawnFirst = random.pick(names ?? (random.chance(0.5) ? FEMALE_NAMES : MALE_NAMES));
    const drawnLast = lastName(random, place, id);
    const gender = isDuplicate && parent ? parent.gender : drawnGender;
    const first = isDuplicate && parent ? parent.first : drawnFirst;
    const last = parent ? parent.last : drawnLast;

    // Older records are more common than new ones (the practice had patients before it had this software).
    const createdDay = today - 2 - Math.floor((HISTORY_DAYS - 2) * random.next() ** 0.6);
    const createdAt = clock.instant(createdDay, random.int(8 * 60, 19 * 60));
    const childhood = random.chance(0.2) || isChild;
    const ageDays = Math.floor((childhood ? random.int(1, 17) : random.int(18, 95)) * 365.25) + random.int(0, 364);
    const birthDay = Math.min(today - ageDays, createdDay - random.int(1, 300));
    const drawnArchivedAt = random.chance(0.03) ? between(random, createdAt, nowMs) : null;
    const archivedAt = parent ? null : drawnArchivedAt;
    const editedAt = random.chance(0.5) ? between(random, createdAt, nowMs) : createdAt;
    const updatedAt = Math.max(editedAt, archivedAt ?? 0);
    const drawnEmail = random.chance(0.85) ? email(random, id, first, last, place) : null;
    const drawnPhone = random.chance(0.92) ? place.patientPhone(random) : null;
    const drawnBirthday = random.chance(0.98) ? isoDate(birthDay) : null;
    const drawnAddress = random.chance(0.94) ? place.patientAddress(random) : null;
    const patientEmail = isChild && parent ? parent.email : isDuplicate ? null : drawnEmail;
    const phone = parent ? parent.phone : drawnPhone;
    const address = isChild && parent ? parent.address : drawnAddress;

    buffer.push(
      [
        id,
        field(first),
        field(last),
        patientEmail === null ? "\\N" : field(patientEmail),
        phone === null ? "\\N" : field(phone),
        isDuplicate || drawnBirthday === null ? "\\N" : drawnBirthday,
        gender,
        address === null ? "\\N" : field(address),
        clinicIndex + 1,
        random.chance(0.12) ? field(random.pick(PATIENT_NOTES)) : "",
        instant(createdAt),
        instant(updatedAt),
        1,
        instant(archivedAt),
        drawRecallInterval(recall),
        isChild && parent ? parent.id : "\\N",
      ].join("\t"),
    );
    // Siblings follow their parent; anyone else may be the next patient's parent.
    if (!isChild)
      previous = {
        id,
        clinicIndex,
        gender,
        first,
        last,
        email: patientEmail,
        phone,
        address,
        mayHaveChildren: !childhood && !isDuplicate && archivedAt === null,
      };

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
