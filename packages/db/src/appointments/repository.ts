// The appointments' data API: a patient's history, booking, status changes and moves (the last visit follows
// in the same transaction, by the database's own trigger).

import { type AppointmentState, lockAppointmentState } from "../audit/appointment-state.ts";
import type { Appointment } from "../entities/appointment.ts";
import { ChairsideRepository } from "../repository.ts";
import { bookAppointment, rescheduleAppointment } from "./booking.ts";
import { type AppointmentHistoryPage, listPatientAppointments } from "./history.ts";
import type {
  AppointmentHistoryInput,
  BookAppointmentInput,
  RescheduleAppointmentInput,
  SetAppointmentStatusInput,
} from "./input.ts";
import type { AppointmentChange, AppointmentItem } from "./items.ts";
import { setAppointmentStatus } from "./status.ts";

export class AppointmentRepository extends ChairsideRepository<Appointment> {
  /** A patient's visits, newest first: one statement per page; another clinic's patient is NOT_FOUND. */
  history(input: AppointmentHistoryInput): Promise<AppointmentHistoryPage> {
    return listPatientAppointments(this.request, this.em, input);
  }

  book(input: BookAppointmentInput): Promise<AppointmentItem> {
    return bookAppointment(this.request, this.em, input);
  }

  setStatus(input: SetAppointmentStatusInput): Promise<AppointmentChange> {
    return setAppointmentStatus(this.request, this.em, input);
  }

  reschedule(input: RescheduleAppointmentInput): Promise<AppointmentChange> {
    return rescheduleAppointment(this.request, this.em, input);
  }

  /** What the appointment is before a change, locked until the transaction ends (for the change's entry). */
  lockState(id: number): Promise<AppointmentState | null> {
    return lockAppointmentState(this.em, id);
  }
}
