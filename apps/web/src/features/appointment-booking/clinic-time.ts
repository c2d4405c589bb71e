// A visit's time as the front desk types it: a date and a wall-clock time at the clinic, whatever zone the
// browser is in. The API takes and returns instants; these turn one into the other in the clinic's zone.
import { type CalendarDate, localDate, utcOffsetMs } from "@chairside/db/schemas";

/** "HH:MM", 24-hour, as <input type="time"> holds it. */
export type WallClockTime = string;

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** The clinic's date and wall-clock time at an instant, as the date and time inputs hold them. */
export function clinicWallClock(instant: Date, timeZone: string): { date: CalendarDate; time: WallClockTime } {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" });
    timeFormats.set(timeZone, format);
  }
  return { date: localDate(instant, timeZone), time: format.format(instant) };
}

/**
 * The instant the clinic's clocks show `time` on `date`, or null when they never do (the hour skipped when the
 * clocks go forward). In the hour repeated when they go back, the second of the two, as PostgreSQL reads it.
 */
export function instantAtClinicTime(date: CalendarDate, time: WallClockTime, timeZone: string): Date | null {
  const wall = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(wall)) return null;
  // Correct UTC by the zone's offset; a second pass settles an offset that differs across a clock change.
  let candidate = wall - utcOffsetMs(new Date(wall), timeZone);
  candidate = wall - utcOffsetMs(new Date(candidate), timeZone);
  const later = wall - utcOffsetMs(new Date(candidate + 3_600_000), timeZone);
  if (later > candidate && sameWallClock(later, date, time, timeZone)) candidate = later;
  return sameWallClock(candidate, date, time, timeZone) ? new Date(candidate) : null;
}

function sameWallClock(instant: number, date: CalendarDate, time: WallClockTime, timeZone: string): boolean {
  const shown = clinicWallClock(new Date(instant), timeZone);
  return shown.date === date && shown.time === time;
}

/** The clinic's calendar day today ("YYYY-MM-DD"), for the date input's earliest day. */
export const clinicToday = (timeZone: string): CalendarDate => localDate(new Date(), timeZone);

const shortTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant's time of day on the clinic's clocks, as the user's locale writes it: "10:45 AM". */
export function formatClinicTime(instant: Date, timeZone: string): string {
  let format = shortTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { timeZone, hour: "numeric", minute: "2-digit" });
    shortTimeFormats.set(timeZone, format);
  }
  return format.format(instant);
}
