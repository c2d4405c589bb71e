// The inputs of a patient record, shared by "New patient" and "Edit". Each shows its own error beside it,
// whether the form's check (the server's schema) or the server itself found it.

import { PATIENT_FIELD_LIMITS, PATIENT_GENDERS, RECALL_INTERVAL_MONTHS } from "@chairside/db/schemas";
import { type ReactNode, useId } from "react";
import type { RouterOutputs } from "../../app/trpc.ts";
import { capitalize } from "../../ui/format.ts";
import { FIELD_LABELS, type FieldErrors, type PatientFormField, type PatientFormValues } from "./form-values.ts";
import "./patient-form.css";

type Clinic = RouterOutputs["clinics"]["list"][number];

/** Every recall interval a record may have, in months. */
const RECALL_MONTHS = Array.from(
  { length: RECALL_INTERVAL_MONTHS.max - RECALL_INTERVAL_MONTHS.min + 1 },
  (_, index) => RECALL_INTERVAL_MONTHS.min + index,
);

interface PatientFieldsProps {
  values: PatientFormValues;
  errors: FieldErrors;
  onChange(field: PatientFormField, value: string): void;
  /** The clinics the record may belong to; the choice is shown when there is more than one. */
  clinics: Clinic[];
}

export function PatientFields({ values, errors, onChange, clinics }: PatientFieldsProps) {
  const text = (field: PatientFormField, props: Partial<TextInputProps> = {}) => (
    <TextInput
      field={field}
      value={values[field]}
      error={errors[field]?.[0]}
      onChange={(value) => onChange(field, value)}
      {...props}
    />
  );
  return (
    <div className="patient-fields">
      {text("firstName", { required: true, autoComplete: "off", maxLength: PATIENT_FIELD_LIMITS.name })}
      {text("lastName", { required: true, autoComplete: "off", maxLength: PATIENT_FIELD_LIMITS.name })}
      {text("birthday", { type: "date", min: PATIENT_FIELD_LIMITS.earliestBirthday })}
      <FieldShell field="gender" error={errors.gender?.[0]}>
        {(ids) => (
          <select
            id={ids.input}
            name="gender"
            value={values.gender}
            onChange={(event) => onChange("gender", event.target.value)}
            aria-invalid={ids.invalid}
            aria-describedby={ids.describedBy}
          >
            {PATIENT_GENDERS.map((gender) => (
              <option key={gender} value={gender}>
                {gender === "unspecified" ? "Not stated" : capitalize(gender)}
              </option>
            ))}
          </select>
        )}
      </FieldShell>
      {text("phone", { type: "tel", autoComplete: "off", maxLength: PATIENT_FIELD_LIMITS.phone })}
      {text("email", { type: "email", autoComplete: "off", maxLength: PATIENT_FIELD_LIMITS.email })}
      <FieldShell field="recallIntervalMonths" error={errors.recallIntervalMonths?.[0]}>
        {(ids) => (
          <select
            id={ids.input}
            name="recallIntervalMonths"
            value={values.recallIntervalMonths}
            onChange={(event) => onChange("recallIntervalMonths", event.target.value)}
            aria-invalid={ids.invalid}
            aria-describedby={ids.describedBy}
          >
            {RECALL_MONTHS.map((months) => (
              <option key={months} value={months}>
                {months === 1 ? "1 month" : `${months} months`}
              </option>
            ))}
          </select>
        )}
      </FieldShell>
      {text("address", { multiline: true, wide: true, maxLength: PATIENT_FIELD_LIMITS.address })}
      {text("notes", { multiline: true, wide: true, maxLength: PATIENT_FIELD_LIMITS.notes })}
      {(clinics.length > 1 || errors.clinicId) && (
        <FieldShell field="clinicId" error={errors.clinicId?.[0]} wide>
          {(ids) => (
            <select
              id={ids.input}
              name="clinicId"
              value={values.clinicId}
              onChange={(event) => onChange("clinicId", event.target.value)}
              aria-invalid={ids.invalid}
              aria-describedby={ids.describedBy}
            >
              {values.clinicId === "" && <option value="">Choose a clinic</option>}
              {clinics.map((clinic) => (
                <option key={clinic.id} value={clinic.id}>
                  {clinic.name}
                </option>
              ))}
            </select>
          )}
        </FieldShell>
      )}
    </div>
  );
}

interface FieldIds {
  input: string;
  describedBy: string | undefined;
  invalid: boolean;
}

function FieldShell({
  field,
  error,
  wide = false,
  children,
}: {
  field: PatientFormField;
  error: string | undefined;
  wide?: boolean;
  children(ids: FieldIds): ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={wide ? "field field--wide" : "field"} data-invalid={error ? "true" : undefined}>
      <label className="field-label" htmlFor={id}>
        {FIELD_LABELS[field]}
      </label>
      {children({ input: id, describedBy: error ? errorId : undefined, invalid: Boolean(error) })}
      {error && (
        <span className="field-error" id={errorId}>
          {capitalize(error)}
        </span>
      )}
    </div>
  );
}

interface TextInputProps {
  field: PatientFormField;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
  type?: "text" | "email" | "tel" | "date";
  required?: boolean;
  multiline?: boolean;
  wide?: boolean;
  autoComplete?: string;
  maxLength?: number;
  min?: string;
}

function TextInput({ field, value, error, onChange, type = "text", multiline, wide, ...rest }: TextInputProps) {
  return (
    <FieldShell field={field} error={error} wide={wide ?? false}>
      {(ids) =>
        multiline ? (
          <textarea
            id={ids.input}
            name={field}
            value={value}
            rows={field === "notes" ? 4 : 2}
            onChange={(event) => onChange(event.target.value)}
            aria-invalid={ids.invalid}
            aria-describedby={ids.describedBy}
            maxLength={rest.maxLength}
          />
        ) : (
          <input
            id={ids.input}
            name={field}
            type={type}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            aria-invalid={ids.invalid}
            aria-describedby={ids.describedBy}
            required={rest.required}
            autoComplete={rest.autoComplete}
            maxLength={rest.maxLength}
            min={rest.min}
          />
        )
      }
    </FieldShell>
  );
}
