// Appointment rows (as COPY text), generated patient by patient from the plans the patient pass left behind.
import type { AppointmentStatus } from "../entities/appointment.ts";
import { DAY_MS, MINUTE_MS, weekday, type ZoneClock } from "./calendar.ts";
import { ChunkBuffer, field, instant } from "./copy-text.ts";
import { APPOINTMENT_NOTES } from "./names.ts";
import type { PatientPlans, SeedCalendar } from "./patients.ts";
import { CLINIC_PLACES, type ClinicPlace } from "./places.ts";
import { type Random, weighted } from "./random.ts";
import { drawServiceId, SERVICES } from "./reference.ts";

export const APPOINTMENT_COLUMNS = [
  "id",
  "patient_id",
  "dentist_id",
  "service_id",
  "clinic_id",
  "starts_at",
  "status",
  "completed_at",
  "notes",
  "created_at",
  "updated_at",
] as const;

const drawPastStatus = weighted<AppointmentStatus>([
  ["completed", 76],
  ["cancelled", 11],
  ["missed", 8],
  ["reschedule_requested", 2.5],
  ["cancel_requested", 2.5],
]);
const drawTodayStatus = weighted<AppointmentStatus>([
  ["waiting", 30],
  ["confirmed", 50],
  ["pending", 20],
]);
const drawUpcomingStatus = weighted<AppointmentStatus>([
  ["pending", 48],
  ["confirmed", 38],
  ["reschedule_requested", 7],
  ["cancel_requested", 7],
]);

/** The next day on or after `day` that the clinic opens. */
function openDay(place: ClinicPlace, day: number): number {
  let candidate = day;
  while (place.hours[weekday(candidate)]?.length === 0) candidate++;
  return candidate;
}

/** A start time on a quarter hour that leaves room for the whole treatment before the window closes. */
function startMinute(random: Random, place: ClinicPlace, day: number, durationMinutes: number): number {
  const windows = place.hours[weekday(day)] ?? [];
  const [open, close] = random.pick(windows);
  const slots = Math.max(1, Math.floor((close - open - durationMinutes) / 15) + 1);
  return open + 15 * random.int(0, slots - 1);
}

/**
 * Yields appointment rows as COPY text chunks, ids 1..N in patient order and, within a patient, by start.
 * Each patient's appointments fall after their record was created, at their clinic, in its opening hours.
 */
export function* appointmentChunks(
  random: Random,
  calendar: SeedCalendar,
  dentistsByClinic: readonly (readonly number[])[],
  plans: PatientPlans,
  onRows: (done: number) => void,
): Generator<string> {
  const buffer = new ChunkBuffer(5_000);
  const { today, nowMs } = calendar;
  // Whether a visit is past, today or upcoming depends on the clinic's own calendar day.
  const todayStarts = calendar.clocks.map((clock) => clock.instant(today, 0));
  const tomorrowStarts = calendar.clocks.map((clock) => clock.instant(today + 1, 0));
  let id = 0;
  const starts: number[] = [];
  for (let index = 0; index < plans.appointmentCount.length; index++) {
    const count = plans.appointmentCount[index] as number;
    if (count === 0) continue;
    const clinicIndex = plans.clinicIndex[index] as number;
    const place = CLINIC_PLACES[clinicIndex] as ClinicPlace;
    const clock = calendar.clocks[clinicIndex] as ZoneClock;
    const dentists = dentistsByClinic[clinicIndex] ?? [];
    const createdAt = plans.createdAt[index] as number;
    const firstDay = (plans.createdDay[index] as number) + 1;
    const span = (plans.lastDay[index] as number) - firstDay + 1;

    // Start times first, sorted, so that ids follow each patient's history in order.
    starts.length = 0;
    for (let n = 0; n < count; n++) {
      const serviceId = drawServiceId(random);
      const duration = SERVICES[serviceId - 1]?.durationMinutes ?? 30;
      const day = openDay(place, firstDay + Math.floor(random.next() * span));
      // Packing service id into the low bits keeps it with its start through the sort.
      starts.push(clock.instant(day, startMinute(random, place, day, duration)) * 16 + serviceId);
    }
    starts.sort((a, b) => a - b);

    for (const packed of starts) {
      id++;
      const serviceId = packed % 16;
      const startsAt = (packed - serviceId) / 16;
      const duration = SERVICES[serviceId - 1]?.durationMinutes ?? 30;
      const status =
        startsAt < (todayStarts[clinicIndex] as number)
          ? drawPastStatus(random)
          : startsAt < (tomorrowStarts[clinicIndex] as number)
            ? drawTodayStatus(random)
            : drawUpcomingStatus(random);
      const dentistId = random.chance(0.75) ? (plans.preferredDentist[index] as number) : random.pick(dentists);
      // Booked one day to two months ahead, never before the patient existed nor after today began.
      const latestBooking = Math.min(startsAt, nowMs);
      const leadMs = random.int(1, 60) * DAY_MS + random.int(0, 600) * MINUTE_MS;
      const bookedAt = Math.max(createdAt, Math.min(latestBooking, startsAt - leadMs));
      const completedAt = status === "completed" ? startsAt + (duration + random.int(-5, 20)) * MINUTE_MS : null;
      const updatedAt =
        completedAt ??
        (status === "missed"
          ? startsAt + 60 * MINUTE_MS
          : status === "pending"
            ? bookedAt
            : bookedAt + Math.floor((random.next() * (latestBooking - bookedAt)) / MINUTE_MS) * MINUTE_MS);

      buffer.push(
        [
          id,
          index + 1,
          dentistId,
          serviceId,
          clinicIndex + 1,
          instant(startsAt),
          status,
          instant(completedAt),
          random.chance(0.06) ? field(random.pick(APPOINTMENT_NOTES)) : "",
          instant(bookedAt),
          instant(updatedAt),
        ].join("\t"),
      );
    }
    if (buffer.full) {
      onRows(id);
      yield buffer.take();
    }
  }
  onRows(id);
  if (buffer.size) yield buffer.take();
}
