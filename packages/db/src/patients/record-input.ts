// What creating or editing a patient record may send: the one definition the API validates and the SPA's
// forms validate with. Pure zod (entity imports are type-only), so the browser can import it.
import { z } from "zod";
import { RECALL_INTERVAL_MONTHS } from "../clinic-rules.ts";
import { recordId } from "../record-id.ts";
import { isVisibleLine, storableText } from "../text.ts";

/** The genders a record may state. Defined here, not on the entity, so that the browser can import it. */
export const PATIENT_GENDERS = ["female", "male", "other", "unspecified"] as const;

/** Field bounds, shared by the schemas and any form that wants to show them. */
export const PATIENT_FIELD_LIMITS = {
  name: 100,
  email: 320,
  phone: 40,
  phoneMinDigits: 3,
  address: 500,
  notes: 5_000,
  earliestBirthday: "1900-01-01",
} as const;

/** A blank optional field (after trimming) means "none", as an emptied form field does. */
const blankAsNull = (value: string): string | null => (value === "" ? null : value);

const personName = storableText()
  .trim()
  .min(1, "required")
  .max(PATIENT_FIELD_LIMITS.name, `at most ${PATIENT_FIELD_LIMITS.name} characters`)
  .refine(isVisibleLine, {
    message: "needs a visible letter or digit, and no control characters",
    when: (check) => check.issues.length === 0,
  });

/** Kept as typed (trimmed); the database compares emails case-insensitively. */
const email = storableText()
  .trim()
  .max(PATIENT_FIELD_LIMITS.email, `at most ${PATIENT_FIELD_LIMITS.email} characters`)
  .refine((value) => value === "" || z.regexes.email.test(value), "not a valid email address")
  .transform(blankAsNull);

/** Digits, spaces and the punctuation people type in phone numbers, optionally with an extension. */
const PHONE_CHARACTERS = /^[+\d\s().\-/]*(?:\s*(?:ext\.?|x)\s*\d+)?$/i;
const phone = storableText()
  .trim()
  .max(PATIENT_FIELD_LIMITS.phone, `at most ${PATIENT_FIELD_LIMITS.phone} characters`)
  .refine(
    (value) =>
      value === "" ||
      (PHONE_CHARACTERS.test(value) && (value.match(/\d/g)?.length ?? 0) >= PATIENT_FIELD_LIMITS.phoneMinDigits),
    `a phone number needs at least ${PATIENT_FIELD_LIMITS.phoneMinDigits} digits and only digits, spaces and + ( ) - . /`,
  )
  .transform(blankAsNull);

/**
 * The latest date that is not in the future anywhere: today in the zone furthest ahead (UTC+14), so that a
 * baby born today is accepted whatever the clock of the server or the browser says.
 */
function latestBirthday(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

const birthday = z.iso
  .date("a date as YYYY-MM-DD")
  .refine((value) => value >= PATIENT_FIELD_LIMITS.earliestBirthday, "not before 1900")
  .refine((value) => value <= latestBirthday(), "not in the future");

const address = storableText()
  .trim()
  .max(PATIENT_FIELD_LIMITS.address, `at most ${PATIENT_FIELD_LIMITS.address} characters`)
  .transform(blankAsNull);

const notes = storableText().trim().max(PATIENT_FIELD_LIMITS.notes, `at most ${PATIENT_FIELD_LIMITS.notes} characters`);

/** How many months after a visit the patient is due back for recall (clinic-rules.ts). */
const recallIntervalMonths = z
  .number({ error: "a whole number of months" })
  .int("a whole number of months")
  .min(RECALL_INTERVAL_MONTHS.min, `at least ${RECALL_INTERVAL_MONTHS.min} month`)
  .max(RECALL_INTERVAL_MONTHS.max, `at most ${RECALL_INTERVAL_MONTHS.max} months`);

const id = recordId;

/** The editable fields of a record. Optional ones accept null (or a blank string) to clear them. */
export const patientFields = z.object({
  firstName: personName,
  lastName: personName,
  email: email.nullish(),
  phone: phone.nullish(),
  birthday: birthday.nullish(),
  gender: z.enum(PATIENT_GENDERS),
  address: address.nullish(),
  notes,
  clinicId: id,
  recallIntervalMonths,
});

export const patientCreateInput = patientFields.extend({
  gender: patientFields.shape.gender.default("unspecified"),
  notes: notes.default(""),
  recallIntervalMonths: recallIntervalMonths.default(RECALL_INTERVAL_MONTHS.default),
  /** The user saw the likely duplicates and creates the patient anyway (an email taken at the clinic still refuses). */
  confirmDuplicate: z.boolean().default(false),
  /** Registers the patient in the family of this patient (a child beside a parent): they may share its email. */
  familyOf: id.optional(),
});

/**
 * An edit: the record's id, the `version` the user started from, and only the fields that changed
 * (absent = unchanged, null = cleared). No defaults here: a default would silently overwrite a field.
 */
export const patientUpdateInput = patientFields.partial().extend({
  id,
  version: recordId,
});

/** Archive and restore name the patient and carry nothing else. */
export const patientIdInput = z.object({ id });

export type PatientFields = z.infer<typeof patientFields>;
export type PatientCreateInput = z.infer<typeof patientCreateInput>;
export type PatientCreateFormValues = z.input<typeof patientCreateInput>;
export type PatientUpdateInput = z.infer<typeof patientUpdateInput>;
export type PatientUpdateFormValues = z.input<typeof patientUpdateInput>;
export type PatientIdInput = z.infer<typeof patientIdInput>;
