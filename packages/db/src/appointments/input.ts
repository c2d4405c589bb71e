// What the appointment procedures accept: the one definition the API validates and the SPA's forms use.
// Pure zod, so the browser can import it.
import { z } from "zod";
import { PAGE_SIZE } from "../patients/list-input.ts";
import { recordId } from "../record-id.ts";
import { storableText } from "../text.ts";
import { APPOINTMENT_STATUS_VALUES, BOOKING_STATUSES } from "./statuses.ts";

/** A patient's history is short; a screen shows a few visits at a time. */
export const HISTORY_PAGE_SIZE = { ...PAGE_SIZE, default: 20 } as const;

/** When a visit may be booked: a sanity range that keeps typos like year 20026 out of the diary. */
export const BOOKABLE_RANGE = { from: new Date("2000-01-01T00:00:00Z"), until: new Date("2100-01-01T00:00:00Z") };
const startsAt = z
  .date()
  .min(BOOKABLE_RANGE.from, "must be in 2000 or later")
  .max(BOOKABLE_RANGE.until, "must be before 2100");

export const appointmentHistoryInput = z.object({
  patientId: recordId,
  limit: z.number().int().min(HISTORY_PAGE_SIZE.min).max(HISTORY_PAGE_SIZE.max).default(HISTORY_PAGE_SIZE.default),
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor: z.string().max(1_000).nullish(),
  // @trpc/react-query's useInfiniteQuery adds the paging direction; pages only go forward.
  direction: z.enum(["forward", "backward"]).optional(),
});

export const bookAppointmentInput = z.object({
  patientId: recordId,
  dentistId: recordId,
  serviceId: recordId,
  startsAt,
  notes: storableText().trim().max(4_000).default(""),
  status: z.enum(BOOKING_STATUSES).default("pending"),
});

export const setAppointmentStatusInput = z.object({
  id: recordId,
  status: z.enum(APPOINTMENT_STATUS_VALUES),
});

export const rescheduleAppointmentInput = z.object({
  id: recordId,
  startsAt,
  /** Another dentist of the same clinic; absent keeps the current one. */
  dentistId: recordId.optional(),
  /**
   * The visit as the caller last saw it. When someone else has moved it or changed its status since, the move is
   * a CONFLICT with the visit as it is now (as an edit made from an old version is); absent, the move just wins.
   */
  expected: z.object({ startsAt: z.date(), dentistId: recordId, status: z.enum(APPOINTMENT_STATUS_VALUES) }).optional(),
});

export type AppointmentHistoryInput = z.infer<typeof appointmentHistoryInput>;
export type BookAppointmentInput = z.infer<typeof bookAppointmentInput>;
export type SetAppointmentStatusInput = z.infer<typeof setAppointmentStatusInput>;
export type RescheduleAppointmentInput = z.infer<typeof rescheduleAppointmentInput>;
