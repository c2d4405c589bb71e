// The inputs of a visit: service, dentist, the clinic's day and time, notes. Each shows its own issue beside it
// (linked by aria-describedby), whether the form's check or the server found it.
import { type ReactNode, useId } from "react";
import type { RouterOutputs } from "../../app/trpc.ts";
import { capitalize } from "../../ui/format.ts";
import { clinicToday, formatClinicTime, instantAtClinicTime } from "./clinic-time.ts";
import { VISIT_FIELD_LABELS, type VisitFieldErrors, type VisitFormField, type VisitFormValues } from "./visit-form.ts";

type Service = RouterOutputs["services"]["list"][number];
type Dentist = RouterOutputs["staff"]["dentists"][number];

interface VisitFieldsProps {
  values: VisitFormValues;
  errors: VisitFieldErrors;
  onChange(field: VisitFormField, value: string): void;
  services: Service[];
  /** The dentists this user may book with at the clinic. */
  dentists: Pick<Dentist, "id" | "name">[];
  clinic: { name: string; timeZone: string };
  /** A move keeps the service and the notes; only the time and the dentist change. */
  kind: "book" | "move";
}

export function VisitFields({ values, errors, onChange, services, dentists, clinic, kind }: VisitFieldsProps) {
  const service = services.find((candidate) => String(candidate.id) === values.serviceId);
  const startsAt = values.date && values.time ? instantAtClinicTime(values.date, values.time, clinic.timeZone) : null;
  const endsAt = service && startsAt ? new Date(startsAt.getTime() + service.durationMinutes * 60_000) : null;
  const categories = [...new Set(services.map((candidate) => candidate.category))];
  const select = (field: VisitFormField, choices: ReactNode, placeholder: string) => (
    <Field field={field} error={errors[field]?.[0]} wide>
      {(ids) => (
        <select
          {...ids}
          name={field}
          value={values[field]}
          disabled={kind === "move" && field === "serviceId"}
          onChange={(event) => onChange(field, event.target.value)}
        >
          {values[field] === "" && <option value="">{placeholder}</option>}
          {choices}
        </select>
      )}
    </Field>
  );

  return (
    <div className="visit-fields">
      {select(
        "serviceId",
        categories.map((category) => (
          <optgroup key={category} label={capitalize(category)}>
            {services
              .filter((candidate) => candidate.category === category)
              .map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name} ({candidate.durationMinutes} min)
                </option>
              ))}
          </optgroup>
        )),
        "Choose a service",
      )}
      {select(
        "dentistId",
        dentists.map((dentist) => (
          <option key={dentist.id} value={dentist.id}>
            {dentist.name}
          </option>
        )),
        "Choose a dentist",
      )}
      <p className="visit-clinic field--wide">
        At <strong>{clinic.name}</strong>; times are the clinic's ({clinic.timeZone.replaceAll("_", " ")}).
      </p>
      <Field field="date" error={errors.date?.[0]}>
        {(ids) => (
          <input
            {...ids}
            name="date"
            type="date"
            value={values.date}
            min={kind === "book" ? clinicToday(clinic.timeZone) : undefined}
            required
            onChange={(event) => onChange("date", event.target.value)}
          />
        )}
      </Field>
      <Field
        field="time"
        error={errors.time?.[0]}
        hint={endsAt ? `Until ${formatClinicTime(endsAt, clinic.timeZone)}` : undefined}
      >
        {(ids) => (
          <input
            {...ids}
            name="time"
            type="time"
            step={300}
            value={values.time}
            required
            onChange={(event) => onChange("time", event.target.value)}
          />
        )}
      </Field>
      {kind === "book" && (
        <Field field="notes" error={errors.notes?.[0]} wide>
          {(ids) => (
            <textarea
              {...ids}
              name="notes"
              rows={2}
              maxLength={4_000}
              value={values.notes}
              onChange={(event) => onChange("notes", event.target.value)}
            />
          )}
        </Field>
      )}
    </div>
  );
}

interface FieldIds {
  id: string;
  "aria-describedby": string | undefined;
  "aria-invalid": boolean;
}

function Field({
  field,
  error,
  hint,
  wide = false,
  children,
}: {
  field: VisitFormField;
  error: string | undefined;
  hint?: string | undefined;
  wide?: boolean;
  children(ids: FieldIds): ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={wide ? "field field--wide" : "field"} data-invalid={error ? "true" : undefined}>
      <label className="field-label" htmlFor={id}>
        {VISIT_FIELD_LABELS[field]}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": Boolean(error) })}
      {error && (
        <span className="field-error" id={errorId}>
          {capitalize(error)}
        </span>
      )}
      {hint && (
        <span className="field-hint" id={hintId}>
          {hint}
        </span>
      )}
    </div>
  );
}
