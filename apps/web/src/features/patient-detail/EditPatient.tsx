// Editing a record: checked with the server's schema before sending, only the changed fields sent with the
// version the edit started from. If someone else saved first (CONFLICT), the user sees what they changed and
// either re-applies their own changes on top or discards them.
import type { DuplicatePatientConflict, StalePatientConflict } from "@chairside/db";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useState } from "react";
import { conflictDetails, describeError, errorCode, fieldErrorsOf } from "../../app/api-errors.ts";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import {
  changedFields,
  type FieldErrors,
  formValuesOf,
  type PatientFormField,
  type PatientFormValues,
  validateUpdate,
} from "../patient-form/form-values.ts";
import { PatientFields } from "../patient-form/PatientFields.tsx";
import { placePatientInLists, refreshLists } from "../patients-list/list-cache.ts";
import { ConflictPanel } from "./ConflictPanel.tsx";

type PatientRecord = RouterOutputs["patients"]["byId"];
type Clinic = RouterOutputs["clinics"]["list"][number];

interface EditPatientProps {
  record: PatientRecord;
  clinics: Clinic[];
  onClose(): void;
}

export function EditPatient({ record, clinics, onClose }: EditPatientProps) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  // The version the user started editing from: their changes are the differences from it.
  const [base, setBase] = useState(() => ({ record, values: formValuesOf(record) }));
  const [values, setValues] = useState<PatientFormValues>(base.values);
  const [checkErrors, setCheckErrors] = useState<FieldErrors>({});
  const [editedSinceSave, setEditedSinceSave] = useState<ReadonlySet<string>>(new Set());

  const update = trpc.patients.update.useMutation({
    onSuccess: ({ row, ...saved }) => {
      utils.patients.byId.setData({ id: saved.id }, saved);
      placePatientInLists(queryClient, row);
      onClose();
    },
  });
  const stale = conflictDetails<StalePatientConflict>(update.error, ["stale"]);
  const duplicate = conflictDetails<DuplicatePatientConflict>(update.error, ["emailTaken", "likelyDuplicate"]);

  const serverErrors: FieldErrors = { ...fieldErrorsOf(update.error) };
  if (duplicate) serverErrors.email = [describeError(update.error)];
  const errors: FieldErrors = { ...checkErrors };
  for (const [field, messages] of Object.entries(serverErrors)) {
    if (!editedSinceSave.has(field) && !errors[field]) errors[field] = messages;
  }
  const dirty = Object.keys(changedFields(base.values, values)).length > 0;

  const save = (version: number) => {
    const changes = changedFields(base.values, values);
    if (Object.keys(changes).length === 0) return onClose();
    const checked = validateUpdate(record.id, version, changes);
    if (!checked.ok) return setCheckErrors(checked.errors);
    setCheckErrors({});
    setEditedSinceSave(new Set());
    update.mutate(checked.input);
  };

  const onChange = (field: PatientFormField, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setCheckErrors(({ [field]: _cleared, ...rest }) => rest);
    setEditedSinceSave((current) => new Set(current).add(field));
  };

  const discardMine = (current: PatientRecord) => {
    utils.patients.byId.setData({ id: current.id }, current);
    // The conflict carries the record, not its row: the lists are fetched again.
    refreshLists(queryClient);
    onClose();
  };
  const reapplyMine = (current: PatientRecord) => {
    // Keep the user's changes measured from what they started with, and send them on the current version.
    setBase((previous) => ({ ...previous, record: current }));
    save(current.version);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    // Escape leaves an untouched form; it never throws away typing (and never closes the record under it).
    event.preventDefault();
    if (!dirty) onClose();
  };

  const otherFailure =
    update.error && !stale && !duplicate && errorCode(update.error) !== "BAD_REQUEST" ? update.error : null;

  return (
    <form
      className="edit-patient"
      aria-label="Edit patient"
      noValidate
      onKeyDown={onKeyDown}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        save(base.record.version);
      }}
    >
      {stale && (
        <ConflictPanel
          started={base.values}
          current={stale.current}
          mine={values}
          clinics={clinics}
          pending={update.isPending}
          onReapply={() => reapplyMine(stale.current)}
          onDiscard={() => discardMine(stale.current)}
        />
      )}
      <PatientFields values={values} errors={errors} onChange={onChange} clinics={clinics} />
      {otherFailure && (
        <p className="form-error" role="alert">
          {describeError(otherFailure)}
        </p>
      )}
      {errorCode(update.error) === "BAD_REQUEST" && (
        <p className="form-error" role="alert">
          Some fields need attention: see the messages beside them.
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={update.isPending || Boolean(stale)}>
          {update.isPending ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}
