// What an appointment's status means for the dentist's diary. Pure (no ORM), so the SPA can import it.

/** Every status an appointment can have. Defined here, not on the entity, so that the browser can import it. */
export const APPOINTMENT_STATUS_VALUES = [
  "pending",
  "confirmed",
  "waiting",
  "cancelled",
  "completed",
  "missed",
  "reschedule_requested",
  "cancel_requested",
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUS_VALUES)[number];

/** The statuses a booking may start with; the others follow from what happens at the clinic. */
export const BOOKING_STATUSES = ["pending", "confirmed"] as const satisfies readonly AppointmentStatus[];

/** Statuses that leave the dentist's time free: nobody is (or was) in the chair. */
export const FREE_STATUSES: ReadonlySet<AppointmentStatus> = new Set<AppointmentStatus>(["cancelled", "missed"]);

/** Whether an appointment in this status holds its slot in the dentist's diary (and so may not overlap another). */
export function occupiesChair(status: AppointmentStatus): boolean {
  return !FREE_STATUSES.has(status);
}
