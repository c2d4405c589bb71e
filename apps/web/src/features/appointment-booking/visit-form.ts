// The visit form's values (what the inputs hold: strings) and their way into the API's schemas, checked with the
// server's own schema before sending. The time is the clinic's wall clock; the API takes the instant it names.
import { bookAppointmentInput, rescheduleAppointmentInput } from "@chairside/db/schemas";
import { z } from "zod";
import type { RouterInputs } from "../../app/trpc.ts";
import { clinicWallClock, instantAtClinicTime } from "./clinic-time.ts";
import type { Visit } from "./visit-cache.ts";

export const VISIT_FORM_FIELDS = ["serviceId", "dentistId", "date", "time", "notes"] as const;
export type VisitFormField = (typeof VISIT_FORM_FIELDS)[number];
export type VisitFormValues = Record<VisitFormField, string>;
/** Issues by field; the API's `startsAt` is shown at the time field. */
export type VisitFieldErrors = Partial<Record<VisitFormField, string[]>>;

export const VISIT_FIELD_LABELS: Record<VisitFormField, string> = {
  serviceId: "Service",
  dentistId: "Dentist",
  date: "Date",
  time: "Time",
  notes: "Notes",
};

export function blankVisit(dentistId: number | undefined): VisitFormValues {
  return { serviceId: "", dentistId: dentistId === undefined ? "" : String(dentistId), date: "", time: "", notes: "" };
}

export function visitValuesOf(visit: Visit, timeZone: string): VisitFormValues {
  const { date, time } = clinicWallClock(visit.startsAt, timeZone);
  return { serviceId: String(visit.service.id), dentistId: String(visit.dentist.id), date, time, notes: visit.notes };
}

/** The API's field issues as the form shows them. */
export function visitFieldErrors(apiErrors: Partial<Record<string, string[]>>): VisitFieldErrors {
  const { startsAt, serviceId, dentistId, notes } = apiErrors;
  return {
    ...(serviceId && { serviceId }),
    ...(dentistId && { dentistId }),
    ...(startsAt && { time: startsAt }),
    ...(notes && { notes }),
  };
}

type Checked<T> = { ok: true; input: T } | { ok: false; errors: VisitFieldErrors };

/** What the inputs name: every choice made, and a time the clinic's clocks show on that day. */
function startsAtOf(values: VisitFormValues, timeZone: string): Checked<Date> {
  const errors: VisitFieldErrors = {};
  if (values.serviceId === "") errors.serviceId = ["choose a service"];
  if (values.dentistId === "") errors.dentistId = ["choose a dentist"];
  if (values.date === "") errors.date = ["choose a day"];
  if (values.time === "") errors.time = ["choose a time"];
  const startsAt = values.date && values.time ? instantAtClinicTime(values.date, values.time, timeZone) : null;
  if (values.date && values.time && !startsAt) {
    errors.time = ["the clinic's clocks skip this time that day (they go forward); choose another"];
  }
  return startsAt && Object.keys(errors).length === 0 ? { ok: true, input: startsAt } : { ok: false, errors };
}

function validate<T>(schema: z.ZodType<T>, candidate: unknown): Checked<T> {
  const result = schema.safeParse(candidate);
  return result.success
    ? { ok: true, input: result.data }
    : { ok: false, errors: visitFieldErrors(z.flattenError(result.error).fieldErrors) };
}

export function validateBooking(
  patientId: number,
  values: VisitFormValues,
  timeZone: string,
): Checked<RouterInputs["appointments"]["create"]> {
  const startsAt = startsAtOf(values, timeZone);
  if (!startsAt.ok) return startsAt;
  return validate(bookAppointmentInput, {
    patientId,
    serviceId: Number(values.serviceId),
    dentistId: Number(values.dentistId),
    startsAt: startsAt.input,
    notes: values.notes,
  });
}

/** A move of `visit` as the user saw it; the dentist is sent only when changed. */
export function validateMove(
  visit: Visit,
  values: VisitFormValues,
  timeZone: string,
): Checked<RouterInputs["appointments"]["reschedule"]> {
  const startsAt = startsAtOf(values, timeZone);
  if (!startsAt.ok) return startsAt;
  const dentistId = Number(values.dentistId);
  return validate(rescheduleAppointmentInput, {
    id: visit.id,
    startsAt: startsAt.input,
    ...(dentistId !== visit.dentist.id && { dentistId }),
    expected: { startsAt: visit.startsAt, dentistId: visit.dentist.id, status: visit.status },
  });
}
