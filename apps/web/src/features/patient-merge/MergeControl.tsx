// An owner's "Merge with…" on the record: choose the other record of the same person, compare the two side by side
// (MergeDialog), merge, and land on the record that carries on.
import { useState } from "react";
import { mayMergePatients } from "../../app/permissions.ts";
import type { RouterOutputs } from "../../app/trpc.ts";
import { useSignedInStaff } from "../auth/session.tsx";
import { PatientPicker } from "../patient-family/PatientPicker.tsx";
import { MergeDialog } from "./MergeDialog.tsx";

type PatientRecord = RouterOutputs["patients"]["byId"];

export function MergeControl({ record }: { record: PatientRecord }) {
  const staff = useSignedInStaff();
  const [picking, setPicking] = useState(false);
  const [otherId, setOtherId] = useState<number | null>(null);
  if (!mayMergePatients(staff) || record.mergedInto !== null) return null;
  return (
    <div className="merge-control">
      {picking ? (
        <PatientPicker
          label="Merge with"
          exceptId={record.id}
          actionLabel="Compare"
          onCancel={() => setPicking(false)}
          onPick={(other) => {
            setPicking(false);
            setOtherId(other.id);
          }}
        />
      ) : (
        <button type="button" className="button button--small" onClick={() => setPicking(true)}>
          Merge with…
        </button>
      )}
      {otherId !== null && <MergeDialog current={record} otherId={otherId} onClose={() => setOtherId(null)} />}
    </div>
  );
}
