// A patient form's values (what the inputs hold: strings) and their way into the API's schemas, which the
// form validates with before sending, so the user sees the server's own rules at once.

import { patientCreateInput, patientUpdateInput, RECALL_INTERVAL_MONTHS } from "@chairside/db/schemas";
import { z } from "zod";
import type { RouterInputs, RouterOutputs } from "../../app/trpc.ts";

type PatientRecord = RouterOutputs["patients"]["byId"];

export const PATIENT_FORM_FIELDS = [
  "firstName",
  "lastName",
  "birthday",
  "gender",
  "phone",
  "email",
  "address",
  "notes",
  "clinicId",
  "recallIntervalMonths",
] as const;
export type PatientFormField = (typeof PATIENT_FORM_FIELDS)[number];
export type PatientFormValues = Record<PatientFormField, string>;
export type FieldErrors = Partial<Record<string, string[]>>;

export const FIELD_LABELS: Record<PatientFormField, string> = {
  firstName: "First name",
  lastName: "Last name",
  birthday: "Date of birth",
  gender: "Gender",
  phone: "Phone",
  email: "Email",
  address: "Address",
  notes: "Notes",
  clinicId: "Clinic",
  recallIntervalMonths: "Recall every",
};

export function blankForm(clinicId: number | undefined): PatientFormValues {
  return {
    firstName: "",
    lastName: "",
    birthday: "",
    gender: "unspecified",
    phone: "",
    email: "",
    address: "",
    notes: "",
    clinicId: clinicId === undefined ? "" : String(clinicId),
    recallIntervalMonths: String(RECALL_INTERVAL_MONTHS.default),
  };
}

export function formValuesOf(record: PatientRecord): PatientFormValues {
  return {
    firstName: record.firstName,
    lastName: record.lastName,
    birthday: record.birthday ?? "",
    gender: record.gender,
    phone: record.phone ?? "",
    email: record.email ?? "",
    address: record.address ?? "",
    notes: record.notes,
    clinicId: String(record.clinic.id),
    recallIntervalMonths: String(record.recallIntervalMonths),
  };
}

/** A field's value as the API takes it: an emptied optional field is null, the clinic a number. */
function inputValue(field: PatientFormField, value: string): string | number | null {
  if (field === "clinicId" || field === "recallIntervalMonths") return value === "" ? Number.NaN : Number(value);
  if (field === "birthday" || field === "phone" || field === "email" || field === "address") {
    return value.trim() === "" ? null : value;
  }
  return value;
}

/** The fields whose values differ from `base`, as API input. */
export function changedFields(base: PatientFormValues, values: PatientFormValues): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of PATIENT_FORM_FIELDS) {
    if (values[field] !== base[field]) changes[field] = inputValue(field, values[field]);
  }
  return changes;
}

type Validated<T> = { ok: true; input: T } | { ok: false; errors: FieldErrors };

function validate<T>(schema: z.ZodType<T>, candidate: unknown): Validated<T> {
  const result = schema.safeParse(candidate);
  return result.success
    ? { ok: true, input: result.data }
    : { ok: false, errors: z.flattenError(result.error).fieldErrors };
}

/** An edit of `changes` made from `version`, checked with the schema the server validates with. */
export function validateUpdate(
  id: number,
  version: number,
  changes: Record<string, unknown>,
): Validated<RouterInputs["patients"]["update"]> {
  return validate(patientUpdateInput, { id, version, ...changes });
}

export function validateCreate(
  values: PatientFormValues,
  confirmDuplicate: boolean,
): Validated<RouterInputs["patients"]["create"]> {
  const fields = Object.fromEntries(PATIENT_FORM_FIELDS.map((field) => [field, inputValue(field, values[field])]));
  return validate(patientCreateInput, { ...fields, confirmDuplicate });
}
