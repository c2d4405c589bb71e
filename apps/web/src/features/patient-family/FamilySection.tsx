// The patient's family on the record: the guarantor and the others, each one click from their own record; the
// front desk puts the patient in a family (beside another patient) or takes them out of it.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { describeError } from "../../app/api-errors.ts";
import { usePatientsView } from "../../app/patients-view.ts";
import { mayEditPatients } from "../../app/permissions.ts";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import { formatCalendarDate } from "../../ui/format.ts";
import { useSignedInStaff } from "../auth/session.tsx";
import { patchPatientInLists } from "../patients-list/list-cache.ts";
import { PatientPicker } from "./PatientPicker.tsx";
import "./patient-family.css";

type PatientRecord = RouterOutputs["patients"]["byId"];
type SavedPatient = RouterOutputs["patients"]["linkFamily"];

export function FamilySection({ record }: { record: PatientRecord }) {
  const staff = useSignedInStaff();
  const [, updateView] = usePatientsView();
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const [picking, setPicking] = useState(false);
  const onSaved = ({ row, ...saved }: SavedPatient) => {
    setPicking(false);
    // Every member's record shows the family: the others are read again when opened.
    void utils.patients.byId.invalidate();
    utils.patients.byId.setData({ id: saved.id }, saved);
    patchPatientInLists(queryClient, row);
  };
  const link = trpc.patients.linkFamily.useMutation({ onSuccess: onSaved });
  const unlink = trpc.patients.unlinkFamily.useMutation({ onSuccess: onSaved });
  const failed = link.error ?? unlink.error;
  const mayEdit = mayEditPatients(staff) && record.mergedInto === null;
  const family = record.family;
  if (!family && !mayEdit) return null;

  return (
    <section className="family" aria-labelledby="family-heading">
      <div className="family-header">
        <h3 id="family-heading">Family</h3>
        {mayEdit && !picking && (
          <div className="family-actions">
            <button type="button" className="button button--small" onClick={() => setPicking(true)}>
              {family ? "Move to another family…" : "Add to a family…"}
            </button>
            {family && (
              <button
                type="button"
                className="button button--small button--quiet"
                disabled={unlink.isPending}
                onClick={() => unlink.mutate({ id: record.id, version: record.version })}
              >
                {unlink.isPending ? "Leaving…" : "Leave the family"}
              </button>
            )}
          </div>
        )}
      </div>
      {family ? (
        <ul className="family-members" aria-label="Family members">
          {family.map((member) => {
            const self = member.id === record.id;
            return (
              <li key={member.id} data-member-id={member.id}>
                {self ? (
                  <span className="family-member family-member--self" aria-current="true">
                    {member.firstName} {member.lastName}
                  </span>
                ) : (
                  <button
                    type="button"
                    className="family-member link-button"
                    onClick={() => updateView({ patientId: member.id })}
                  >
                    {member.firstName} {member.lastName}
                  </button>
                )}
                <span className="muted">
                  {member.guarantor && <span className="family-guarantor">Guarantor</span>}
                  {member.birthday && ` born ${formatCalendarDate(member.birthday)}`}
                  {self && " · this record"}
                </span>
              </li>
            );
          })}
        </ul>
      ) : (
        !picking && <p className="muted">Not linked to a family.</p>
      )}
      {picking && (
        <PatientPicker
          label="Family of"
          exceptId={record.id}
          actionLabel="Join this family"
          busy={link.isPending}
          onCancel={() => setPicking(false)}
          onPick={(member) => link.mutate({ id: record.id, version: record.version, familyOf: member.id })}
        />
      )}
      {failed && (
        <p className="form-error" role="alert">
          {describeError(failed)}
        </p>
      )}
    </section>
  );
}
