// The clinic's rules about visits and patient status, stated once. Everything else imports them.
//
// Last visit: a patient's latest *completed* appointment, by when the visit took place (startsAt; the
// higher id breaks a tie). The database keeps Patient.lastVisit / lastVisitAt equal to it, in the same
// transaction as any appointment change (the `last_visit` trigger on Appointment calls
// refresh_last_visit(), see the initial migration); `latestCompleted` below is the same rule in
// TypeScript, and a test holds the two to agreement.
//
// Status, derived at read time from the last visit and today's date in the clinic's time zone, never stored:
//   active    a completed visit no more than ACTIVE_WINDOW_DAYS calendar days before today
//   inactive  completed visits, none that recent
//   new       no completed visit yet
//
// Recall: each patient has a recall interval in whole months (RECALL_INTERVAL_MONTHS). Their recall falls due on
// the calendar date of their last visit in the clinic's time zone plus that many months (`recallDueOn`; the
// month's last day when it is shorter, as PostgreSQL adds months). The database keeps Patient.recallDueOn
// equal to it in the same transaction as any change of last visit, interval or clinic (the `recall_due`
// trigger calls patient_recall_due_on(), see Migration20261202080000_recall); a test holds the two to agreement.
// A patient is *due for recall* (`dueForRecall`) from that date on, while not archived and with nothing booked
// (no appointment still to come that is expected to take place: the record's "next appointment"). A patient
// never seen has no recall date: they are new, not due.

export const ACTIVE_WINDOW_DAYS = 730;

/** A never-visited patient's last visit, for sorting and the status tabs: before every visit. */
export const NEVER_VISITED = `'-infinity'::timestamptz`;

/**
 * The last-visit sort key of `column` (a patient's last_visit_at) in SQL: when the last visit took place, or
 * -infinity for a patient never seen. Declared once, here, for the indexes and the queries alike: PostgreSQL
 * reads an expression index only for the very same expression.
 */
export const lastVisitSortKey = (column: string) => `coalesce(${column}, ${NEVER_VISITED})`;

export const PATIENT_STATUSES = ["active", "inactive", "new"] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

/** A calendar date, "YYYY-MM-DD". */
export type CalendarDate = string;

/** How many months a recall interval may be: from monthly check-ups to two years (the longest NICE advises). */
export const RECALL_INTERVAL_MONTHS = { min: 1, max: 24, default: 6 } as const;

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date an instant falls on in a time zone. */
export function localDate(instant: Date, timeZone: string): CalendarDate {
  let format = dateFormatters.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormatters.set(timeZone, format);
  }
  return format.format(instant);
}

function dayNumber(date: CalendarDate): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** The date `months` after `date`: the same day of the month, or the month's last day when it has fewer
 *  (31 August + 6 months = 28 or 29 February), as PostgreSQL's `date + interval 'N months'`. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** When a patient's recall falls due: their last visit's date in the clinic's time zone plus their interval;
 *  null for a patient never seen. */
export function recallDueOn(
  lastVisitAt: Date | null | undefined,
  intervalMonths: number,
  timeZone: string,
): CalendarDate | null {
  return lastVisitAt ? addMonths(localDate(lastVisitAt, timeZone), intervalMonths) : null;
}

/** Whether a patient is due for recall on `today` (the clinic's date): their recall date has come, they are not
 *  archived, and nothing is booked. */
export function dueForRecall(
  patient: { recallDueOn: CalendarDate | null; archived: boolean; booked: boolean },
  today: CalendarDate,
): boolean {
  return patient.recallDueOn !== null && patient.recallDueOn <= today && !patient.archived && !patient.booked;
}

/** How many days a due recall is overdue on `today`: 0 on the day it falls due. */
export function daysOverdue(recallDueOn: CalendarDate, today: CalendarDate): number {
  return dayNumber(today) - dayNumber(recallDueOn);
}

/** The instant a calendar date begins in a time zone (its local midnight, or the first instant after a DST gap). */
export function startOfLocalDay(date: CalendarDate, timeZone: string): Date {
  // Start from UTC midnight and correct by the zone's offset; a second pass settles offsets that differ
  // across a DST change. Local midnight is at most 14 h from UTC midnight, so each candidate is on the right day.
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  let candidate = utcMidnight;
  for (let pass = 0; pass < 2; pass++) candidate = utcMidnight - utcOffsetMs(new Date(candidate), timeZone);
  // In a zone whose day starts with a DST gap, the computed instant may fall on the previous date.
  while (localDate(new Date(candidate), timeZone) < date) candidate += 15 * 60_000;
  return new Date(candidate);
}

const wallClockFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far ahead of UTC the zone's wall clock is at an instant, in ms. */
export function utcOffsetMs(instant: Date, timeZone: string): number {
  let format = wallClockFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    wallClockFormatters.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const wallClock = Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
  return wallClock - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The earliest last-visit instant that still makes a patient of a clinic in `timeZone` active now:
 * the start of the local day ACTIVE_WINDOW_DAYS before today. Queries filter `last_visit_at >= activeSince`.
 */
export function activeSince(timeZone: string, now: Date = new Date()): Date {
  return clinicDay(timeZone, now).activeSince;
}

/** A local day in a time zone: its date, the instants it spans, and the active cutoff while it lasts. */
export interface ClinicDay {
  today: CalendarDate;
  /** [starts, ends) in epoch ms. */
  starts: number;
  ends: number;
  activeSince: Date;
}

const clinicDays = new Map<string, ClinicDay>();

/**
 * Today in a time zone and the active cutoff that goes with it. They change only at local midnight, so the
 * day is worked out once and reused while `now` falls inside it (every list page needs them, per clinic).
 */
export function clinicDay(timeZone: string, now: Date = new Date()): ClinicDay {
  const at = now.getTime();
  const known = clinicDays.get(timeZone);
  if (known && at >= known.starts && at < known.ends) return known;
  const today = localDate(now, timeZone);
  const day: ClinicDay = {
    today,
    starts: startOfLocalDay(today, timeZone).getTime(),
    ends: startOfLocalDay(addDays(today, 1), timeZone).getTime(),
    activeSince: startOfLocalDay(addDays(today, -ACTIVE_WINDOW_DAYS), timeZone),
  };
  if (clinicDays.size >= 1_000) clinicDays.clear();
  clinicDays.set(timeZone, day);
  return day;
}

/** A patient's status from when their last visit took place (null: none yet). */
export function patientStatus(
  lastVisitAt: Date | null | undefined,
  timeZone: string,
  now: Date = new Date(),
): PatientStatus {
  return statusSince(lastVisitAt ? lastVisitAt.getTime() : null, activeSince(timeZone, now).getTime());
}

/**
 * The same rule for many patients of one clinic: `activeFrom` is activeSince(clinic's time zone, now) in
 * epoch ms, worked out once (a visit on or after the start of the local day ACTIVE_WINDOW_DAYS before today
 * is no more than ACTIVE_WINDOW_DAYS calendar days ago).
 */
export function statusSince(lastVisitMs: number | null, activeFrom: number): PatientStatus {
  if (lastVisitMs === null) return "new";
  return lastVisitMs >= activeFrom ? "active" : "inactive";
}

/** The fields of an appointment that the last-visit rule reads. */
export interface VisitCandidate {
  id: number;
  startsAt: Date;
  status: string;
}

/** The last visit among a patient's appointments: the latest completed one by startsAt, then by id. */
export function latestCompleted<T extends VisitCandidate>(appointments: Iterable<T>): T | null {
  let latest: T | null = null;
  for (const appointment of appointments) {
    if (appointment.status !== "completed") continue;
    if (
      !latest ||
      appointment.startsAt.getTime() > latest.startsAt.getTime() ||
      (appointment.startsAt.getTime() === latest.startsAt.getTime() && appointment.id > latest.id)
    ) {
      latest = appointment;
    }
  }
  return latest;
}

/** Age in whole years on a date (birthdays on 29 February count from 1 March in other years). */
export function ageOn(birthday: CalendarDate | null | undefined, today: CalendarDate): number | null {
  if (!birthday) return null;
  // Read by position (both are YYYY-MM-DD): a list page works out fifty ages.
  const field = (date: CalendarDate, from: number, to: number) => Number(date.slice(from, to));
  const [by, bm, bd] = [field(birthday, 0, 4), field(birthday, 5, 7), field(birthday, 8, 10)];
  const [ty, tm, td] = [field(today, 0, 4), field(today, 5, 7), field(today, 8, 10)];
  const hadBirthdayThisYear = tm > bm || (tm === bm && td >= bd);
  return ty - by - (hadBirthdayThisYear ? 0 : 1);
}
