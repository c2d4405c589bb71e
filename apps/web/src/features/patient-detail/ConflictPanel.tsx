// Someone else saved the record while this user was editing: what each side changed, field by field, and the
// two ways on: re-apply my changes on top of theirs, or discard mine and keep theirs.
import { useEffect, useRef } from "react";
import type { RouterOutputs } from "../../app/trpc.ts";
import { capitalize } from "../../ui/format.ts";
import {
  FIELD_LABELS,
  formValuesOf,
  PATIENT_FORM_FIELDS,
  type PatientFormField,
  type PatientFormValues,
} from "../patient-form/form-values.ts";

type PatientRecord = RouterOutputs["patients"]["byId"];
type Clinic = RouterOutputs["clinics"]["list"][number];

interface ConflictPanelProps {
  /** The record's values when this user started editing. */
  started: PatientFormValues;
  /** The record as the other person saved it. */
  current: PatientRecord;
  /** This user's form. */
  mine: PatientFormValues;
  clinics: Clinic[];
  pending: boolean;
  onReapply(): void;
  onDiscard(): void;
}

export function ConflictPanel({ started, current, mine, clinics, pending, onReapply, onDiscard }: ConflictPanelProps) {
  const theirs = formValuesOf(current);
  const rows = PATIENT_FORM_FIELDS.filter(
    (field) => theirs[field] !== started[field] || mine[field] !== started[field],
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const show = (field: PatientFormField, value: string) => {
    if (value === "") return <span className="muted">empty</span>;
    if (field === "clinicId") return clinics.find((clinic) => String(clinic.id) === value)?.name ?? value;
    if (field === "gender") return capitalize(value);
    return value;
  };

  return (
    <section className="conflict-panel" aria-labelledby="conflict-heading" role="alert">
      <h3 id="conflict-heading" ref={heading} tabIndex={-1}>
        Someone else saved this record first
      </h3>
      <p>
        It changed while you were editing. Compare, then re-apply your changes on top of theirs or keep their version.
      </p>
      <table className="conflict-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Their saved version</th>
            <th scope="col">Your edit</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((field) => {
            const theyChanged = theirs[field] !== started[field];
            const iChanged = mine[field] !== started[field];
            const clash = theyChanged && iChanged && theirs[field] !== mine[field];
            return (
              <tr key={field} className={clash ? "is-clash" : undefined} data-field={field}>
                <th scope="row">{FIELD_LABELS[field]}</th>
                <td className={theyChanged ? "is-changed" : undefined}>
                  {show(field, theirs[field])}
                  {theyChanged && <span className="change-note">changed</span>}
                </td>
                <td className={iChanged ? "is-changed" : undefined}>
                  {iChanged ? show(field, mine[field]) : <span className="muted">unchanged</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" className="button" onClick={onDiscard} disabled={pending}>
          Discard mine, keep theirs
        </button>
        <button type="button" className="button button--primary" onClick={onReapply} disabled={pending}>
          Re-apply my changes
        </button>
      </div>
    </section>
  );
}
