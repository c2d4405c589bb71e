// Calendar arithmetic for the generator: whole days as integers, and clinic wall-clock times as UTC instants.
// Everything derives from the caller's `today`, never from the machine clock, so output is reproducible.
import { utcOffsetMs } from "../clinic-rules.ts";

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** Days since 1970-01-01 of a "YYYY-MM-DD" date; throws on anything else. */
export function dayNumber(date: string): number {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return parsed / DAY_MS;
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/**
 * Local wall-clock times of one time zone over a range of days, as UTC instants. The UTC offset of each day
 * is looked up once (at midday, when clinics are open, so a 2 a.m. DST switch is already in effect) instead
 * of asking Intl for each of a million appointments.
 */
export class ZoneClock {
  readonly timeZone: string;
  #firstDay: number;
  #offsets: Int32Array;

  constructor(timeZone: string, firstDay: number, lastDay: number) {
    this.timeZone = timeZone;
    this.#firstDay = firstDay;
    this.#offsets = new Int32Array(lastDay - firstDay + 1);
    for (let day = firstDay; day <= lastDay; day++) {
      const noon = day * DAY_MS + 12 * 3_600_000;
      this.#offsets[day - firstDay] = utcOffsetMs(new Date(noon), timeZone) / MINUTE_MS;
    }
  }

  /** The UTC instant (ms) of `minuteOfDay` local time on `day`. */
  instant(day: number, minuteOfDay: number): number {
    const offsetMinutes = this.#offsets[day - this.#firstDay];
    if (offsetMinutes === undefined) throw new RangeError(`day ${isoDate(day)} is outside this clock's range`);
    return day * DAY_MS + (minuteOfDay - offsetMinutes) * MINUTE_MS;
  }
}
