// Registering a patient. The server warns about a likely duplicate (same names with the same birthday, phone or
// email) with the matching records, and the user can open one of them or create the new record anyway; an email
// another family has at the clinic refuses, unless the patient is registered in that family (a child beside a parent).
import type { DuplicatePatientConflict } from "@chairside/db";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { conflictDetails, describeError, errorCode, fieldErrorsOf } from "../../app/api-errors.ts";
import { trpc } from "../../app/trpc.ts";
import { formatCalendarDate } from "../../ui/format.ts";
import { Modal } from "../../ui/Modal.tsx";
import { type ChosenFamily, ChosenFamilyNote, familyOfMatch, matchReasons } from "../patient-family/FamilyChoice.tsx";
import {
  blankForm,
  type FieldErrors,
  type PatientFormField,
  type PatientFormValues,
  validateCreate,
} from "../patient-form/form-values.ts";
import { PatientFields } from "../patient-form/PatientFields.tsx";
import { placePatientInLists } from "../patients-list/list-cache.ts";
import "./create-patient.css";

interface CreatePatientDialogProps {
  defaultClinicId: number | undefined;
  /** Registering a family member from a record: the family, and what the family shares, filled in. */
  familyMember?: { family: ChosenFamily; values: Partial<PatientFormValues> };
  onClose(): void;
  /** Opens a record: the new one, or an existing match the user chose instead. */
  onOpenPatient(id: number): void;
}

export function CreatePatientDialog({
  defaultClinicId,
  familyMember,
  onClose,
  onOpenPatient,
}: CreatePatientDialogProps) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const clinics = trpc.clinics.list.useQuery(undefined, { staleTime: 10 * 60_000 });
  const onlyClinic = clinics.data?.length === 1 ? clinics.data[0]?.id : undefined;
  const [values, setValues] = useState<PatientFormValues>(() => ({
    ...blankForm(defaultClinicId),
    ...familyMember?.values,
  }));
  const [checkErrors, setCheckErrors] = useState<FieldErrors>({});
  const [family, setFamily] = useState<ChosenFamily | null>(familyMember?.family ?? null);

  const create = trpc.patients.create.useMutation({
    onSuccess: ({ row, ...record }) => {
      utils.patients.byId.setData({ id: record.id }, record);
      placePatientInLists(queryClient, row);
      onOpenPatient(record.id);
    },
  });
  const duplicate = conflictDetails<DuplicatePatientConflict>(create.error, ["emailTaken", "likelyDuplicate"]);
  const warning = useRef<HTMLElement>(null);
  useEffect(() => {
    if (duplicate) warning.current?.scrollIntoView({ block: "nearest" });
  }, [duplicate]);
  const errors: FieldErrors = { ...fieldErrorsOf(create.error), ...checkErrors };
  if (duplicate?.reason === "emailTaken") errors.email = ["another patient of this clinic already has this email"];

  const submit = (confirmDuplicate: boolean, inFamily: ChosenFamily | null = family, entered = values) => {
    const withClinic =
      entered.clinicId === "" && onlyClinic !== undefined ? { ...entered, clinicId: String(onlyClinic) } : entered;
    const checked = validateCreate(withClinic, confirmDuplicate);
    if (!checked.ok) return setCheckErrors(checked.errors);
    setCheckErrors({});
    create.mutate(inFamily ? { ...checked.input, familyOf: inFamily.id } : checked.input);
  };
  const onChange = (field: PatientFormField, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setCheckErrors(({ [field]: _cleared, ...rest }) => rest);
  };
  const otherFailure = create.error && !duplicate && errorCode(create.error) !== "BAD_REQUEST" ? create.error : null;

  return (
    <Modal labelledBy="create-patient-title" onClose={onClose} className="create-patient">
      <form
        noValidate
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          submit(false);
        }}
      >
        <header className="modal-header">
          <h2 id="create-patient-title">New patient</h2>
        </header>
        <div className="modal-body">
          {duplicate && duplicate.matches.length > 0 && (
            <section
              ref={warning}
              className="dialog-warning duplicate-warning"
              role="alert"
              aria-labelledby="duplicate-heading"
            >
              <h3 id="duplicate-heading">
                {duplicate.reason === "emailTaken"
                  ? "This email belongs to an existing patient"
                  : "This patient may already be registered"}
              </h3>
              <ul>
                {duplicate.matches.map((match) => (
                  <li key={match.id}>
                    <span>
                      <strong>
                        {match.firstName} {match.lastName}
                      </strong>
                      {match.birthday && ` · born ${formatCalendarDate(match.birthday)}`}
                      {match.email && ` · ${match.email}`}
                      {match.phone && ` · ${match.phone}`} · {match.clinic.name}
                      {match.archived && " · archived"}
                      <span className="muted"> ({matchReasons(match)})</span>
                    </span>
                    {match.sameEmail && !match.sameFamily && (
                      <button
                        type="button"
                        className="button button--small button--primary"
                        disabled={create.isPending}
                        onClick={() => {
                          const chosen = familyOfMatch(match);
                          // A family shares its phone too: the parent's, unless another was typed.
                          const entered =
                            values.phone === "" && match.phone ? { ...values, phone: match.phone } : values;
                          setFamily(chosen);
                          setValues(entered);
                          submit(false, chosen, entered);
                        }}
                      >
                        Same family as {match.firstName}
                      </button>
                    )}
                    <button type="button" className="button button--small" onClick={() => onOpenPatient(match.id)}>
                      Open this record
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {family && (
            <ChosenFamilyNote
              family={family}
              onRemove={() => {
                setFamily(null);
                create.reset();
              }}
            />
          )}
          <PatientFields values={values} errors={errors} onChange={onChange} clinics={clinics.data ?? []} />
          {otherFailure && (
            <p className="form-error" role="alert">
              {describeError(otherFailure)}
            </p>
          )}
        </div>
        <footer className="modal-footer form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          {duplicate?.canConfirm ? (
            <button
              type="button"
              className="button button--primary"
              disabled={create.isPending}
              onClick={() => submit(true)}
            >
              {create.isPending ? "Creating…" : "Create anyway"}
            </button>
          ) : (
            <button type="submit" className="button button--primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create patient"}
            </button>
          )}
        </footer>
      </form>
    </Modal>
  );
}
