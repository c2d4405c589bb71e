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
import { CreatePatientDialog } from "../patient-create/CreatePatientDialog.tsx";
import { placePatientInLists } from "../patients-list/list-cache.ts";
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
  const [registering, setRegistering] = useState(false);
  const onSaved = ({ row, ...saved }: SavedPatient) => {
    setPicking(false);
    // Every member's record shows the family: the others are read again when opened.
    void utils.patients.byId.invalidate();
    utils.patients.byId.setData({ id: saved.id }, saved);
    placePatientInLists(queryClient, row);
  };
  const link = trpc.patients.linkFamily.useMutation({ onSuccess: onSaved });
  const unlink = trpc.patients.unlinkFamily.useMutation({ onSuccess: onSaved });
  const failed = link.error ?? unlink.error;
  const mayEdit = mayEditPatients(staff) && record.mergedInto === null;
  const family = record.family;
  if (!family && !mayEdit) return null;

  // One row of the record's details (a <dl> item), so that the record keeps its height when there is no family.
  return (
    <div className="detail detail--wide family">
      <dt id="family-heading">Family</dt>
      <dd>
        {family ? (
          <ul className="family-members" aria-labelledby="family-heading">
            {family.map((member) => {
              const self = member.id === record.id;
              const name = `${member.firstName} ${member.lastName}`;
              return (
                <li key={member.id} data-member-id={member.id}>
                  {self ? (
                    <span className="family-member" aria-current="true">
                      {name}
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="family-member link-button"
                      onClick={() => updateView({ patientId: member.id })}
                    >
                      {name}
                    </button>
                  )}
                  {member.guarantor && <span className="family-guarantor">Guarantor</span>}
                  {member.birthday && <span className="muted"> born {formatCalendarDate(member.birthday)}</span>}
                </li>
              );
            })}
          </ul>
        ) : (
          <span className="muted">None</span>
        )}
        {mayEdit && !picking && (
          <span className="family-actions">
            <button type="button" className="button button--small" onClick={() => setRegistering(true)}>
              Register a family member…
            </button>
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
          </span>
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
        {registering && (
          <CreatePatientDialog
            defaultClinicId={record.clinic.id}
            familyMember={{
              family: { id: record.id, name: `${record.firstName} ${record.lastName}` },
              values: {
                lastName: record.lastName,
                email: record.email ?? "",
                phone: record.phone ?? "",
                address: record.address ?? "",
              },
            }}
            onClose={() => setRegistering(false)}
            onOpenPatient={(id) => {
              setRegistering(false);
              // The family row of this record changed too.
              void utils.patients.byId.invalidate({ id: record.id });
              updateView({ patientId: id });
            }}
          />
        )}
      </dd>
    </div>
  );
}
