// The seed generator's public API: replace a database's data with a deterministic, realistic demo practice.
import pg from "pg";
import { hashPassword } from "../staff/passwords.ts";
import { ALERT_COLUMNS, alertChunks } from "./alerts.ts";
import { APPOINTMENT_COLUMNS, appointmentChunks } from "./appointments.ts";
import { DAY_MS, dayNumber, ZoneClock } from "./calendar.ts";
import { copyInto, dropForeignKeys, dropSecondaryIndexes, insertRows, resetSequences, runAll } from "./load.ts";
import {
  BOOKING_HORIZON_DAYS,
  createPatientPlans,
  HISTORY_DAYS,
  PATIENT_COLUMNS,
  patientChunks,
  type SeedCalendar,
} from "./patients.ts";
import { CLINIC_PLACES } from "./places.ts";
import { Random } from "./random.ts";
import { DEMO_STAFF, generateStaff, SERVICES } from "./reference.ts";

export { createProgressBar } from "./progress.ts";
export { DEMO_STAFF, type DemoStaffAccount } from "./reference.ts";

export interface SeedOptions {
  /** How many patients. */
  patients: number;
  /** PRNG seed: the same seed and `today` give byte-identical patient and appointment rows. */
  seed: number;
  /** "YYYY-MM-DD": the history covers the five years before it, upcoming appointments the weeks after it. */
  today: string;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface SeedResult {
  clinics: number;
  services: number;
  staff: number;
  patients: number;
  appointments: number;
  /** Medical alerts, current and past. */
  alerts: number;
  ms: number;
}

/** Independent random streams, so that e.g. adding a staff member does not reshuffle every patient. */
const STREAM = { staff: 1, patients: 2, appointments: 3, recall: 4, alerts: 5, households: 6 } as const;

const TABLES = [
  "clinic",
  "service",
  "staff_member",
  "staff_member_clinics",
  "patient",
  "patient_tally",
  "appointment",
  "medical_alert",
] as const;

/**
 * Replaces all data in the database at `url` with a generated practice, in one transaction: either the whole
 * new data set is there afterwards, or the old data is untouched. The caller decides whether replacing is allowed.
 */
export async function seedDatabase(url: string, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const { patients, seed } = options;
  if (!Number.isSafeInteger(patients) || patients < 0) throw new RangeError(`patients must be a whole number >= 0`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number`);
  const progress = options.onProgress ?? (() => {});
  const today = dayNumber(options.today);
  const firstDay = today - HISTORY_DAYS;
  const calendar: SeedCalendar = {
    today,
    nowMs: today * DAY_MS,
    // A week of slack past the horizon: a booking that falls on a closed day moves to the next open one.
    clocks: CLINIC_PLACES.map((place) => new ZoneClock(place.timeZone, firstDay, today + BOOKING_HORIZON_DAYS + 8)),
  };

  // scrypt is slow on purpose: one hash per distinct password, shared by every account that uses it.
  const hashes = new Map<string, string>();
  for (const { password } of DEMO_STAFF) {
    if (!hashes.has(password)) hashes.set(password, await hashPassword(password));
  }
  const staffing = generateStaff(new Random(seed, STREAM.staff), hashes, firstDay);
  const plans = createPatientPlans(patients);

  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {}); // a dropped connection surfaces as the failing query's error
  await client.connect();
  try {
    await client.query("begin");
    await client.query(`truncate ${TABLES.join(", ")} restart identity cascade`);
    // Per-row last-visit upkeep would run a million times; one set-based refresh after the load replaces it.
    await client.query("alter table appointment disable trigger last_visit");
    // The same for the tab counts' tallies: rebuilt from all patients at once after the load.
    await client.query("alter table patient disable trigger tally");
    // Nobody needs to hear of each loaded patient: the load replaces the practice.
    await client.query("alter table patient disable trigger changed");
    // Recall dates follow the last visits: none while the patients are copied in, set by the refresh below.
    await client.query("alter table patient disable trigger recall_due");
    // Checked and built once after the load rather than per row during it (see load.ts): much faster overall.
    await client.query("set local maintenance_work_mem = '256MB'");
    const foreignKeys = await dropForeignKeys(client, ["patient", "appointment", "medical_alert"]);
    const appointmentIndexes = await dropSecondaryIndexes(client, "appointment");
    const patientIndexes = await dropSecondaryIndexes(client, "patient");

    await insertRows(
      client,
      "clinic",
      ["id", "name", "address", "phone", "time_zone"],
      CLINIC_PLACES.map((place, index) => [index + 1, place.name, place.address, place.phone, place.timeZone]),
    );
    await insertRows(
      client,
      "service",
      ["id", "name", "category", "duration_minutes"],
      SERVICES.map((service, index) => [index + 1, service.name, service.category, service.durationMinutes]),
    );
    await insertRows(
      client,
      "staff_member",
      ["id", "name", "email", "password_hash", "role", "created_at"],
      staffing.staff.map((member) => [
        member.id,
        member.name,
        member.email,
        member.passwordHash,
        member.role,
        member.createdAt,
      ]),
    );
    await insertRows(client, "staff_member_clinics", ["staff_member_id", "clinic_id"], staffing.memberships);

    progress("patients", 0, patients);
    await copyInto(
      client,
      "patient",
      PATIENT_COLUMNS,
      patientChunks(
        new Random(seed, STREAM.patients),
        new Random(seed, STREAM.recall),
        new Random(seed, STREAM.households),
        calendar,
        staffing.dentistsByClinic,
        plans,
        (done) => progress("patients", done, patients),
      ),
    );

    const appointments = plans.totalAppointments;
    progress("appointments", 0, appointments);
    await copyInto(
      client,
      "appointment",
      APPOINTMENT_COLUMNS,
      appointmentChunks(new Random(seed, STREAM.appointments), calendar, staffing.dentistsByClinic, plans, (done) =>
        progress("appointments", done, appointments),
      ),
    );

    const alerts = { alerts: 0 };
    const notersByClinic = CLINIC_PLACES.map((_, index) =>
      staffing.memberships.filter(([, clinicId]) => clinicId === index + 1).map(([staffId]) => staffId),
    );
    await copyInto(
      client,
      "medical_alert",
      ALERT_COLUMNS,
      alertChunks(new Random(seed, STREAM.alerts), calendar, notersByClinic, plans, alerts),
    );

    progress("last visits", 0, 1);
    await client.query("alter table appointment enable trigger last_visit");
    await client.query("alter table patient enable trigger recall_due");
    // The refresh reads each patient's completed appointments through the (patient, starts_at) index.
    await runAll(client, appointmentIndexes);
    // The one implementation of the last-visit rule, applied to every patient at once.
    await client.query("select refresh_last_visit(array_agg(id)) from patient");
    await client.query("alter table patient enable trigger tally");
    await client.query("alter table patient enable trigger changed");
    await client.query("select rebuild_patient_tally()");
    progress("last visits", 1, 1);

    progress("indexes", 0, 2);
    // After the refresh, so that its update of every patient does not also update every index.
    await runAll(client, patientIndexes);
    progress("indexes", 1, 2);
    await runAll(client, foreignKeys);
    progress("indexes", 2, 2);
    await resetSequences(client, ["clinic", "service", "staff_member", "patient", "appointment", "medical_alert"]);
    await client.query("commit");

    // Fresh statistics, so the planner does not treat a million-row table as empty.
    progress("analyze", 0, 1);
    await client.query(`analyze ${TABLES.join(", ")}`);
    progress("analyze", 1, 1);

    return {
      clinics: CLINIC_PLACES.length,
      services: SERVICES.length,
      staff: staffing.staff.length,
      patients,
      appointments,
      alerts: alerts.alerts,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
