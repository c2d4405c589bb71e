// A merged record says where it went, one click away: it is kept for the trail, but the patient lives on there.
import { usePatientsView } from "../../app/patients-view.ts";
import type { RouterOutputs } from "../../app/trpc.ts";

type PatientRecord = RouterOutputs["patients"]["byId"];

export function MergedNotice({ record }: { record: PatientRecord }) {
  const [, updateView] = usePatientsView();
  const into = record.mergedInto;
  if (!into) return null;
  const name = into.firstName !== null ? `${into.firstName} ${into.lastName ?? ""}`.trim() : null;
  return (
    <p className="notice merged-notice" role="status" data-testid="merged-notice">
      Merged into patient #{into.id}
      {name && ` (${name})`}. This record is kept for its history; the patient's visits are there now.{" "}
      <button type="button" className="button button--small" onClick={() => updateView({ patientId: into.id })}>
        Open #{into.id}
      </button>
    </p>
  );
}
