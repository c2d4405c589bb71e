// "Move…" on a visit of the history: the visit dialog with its time and dentist to change.
import { useState } from "react";
import type { RouterOutputs } from "../../app/trpc.ts";
import { formatClinicDateTime } from "../../ui/format.ts";
import { VisuallyHidden } from "../../ui/VisuallyHidden.tsx";
import { useDialogOpener } from "./use-dialog-opener.ts";
import { VisitDialog } from "./VisitDialog.tsx";
import type { Visit } from "./visit-cache.ts";

type PatientRecord = RouterOutputs["patients"]["byId"];

export function MoveVisit({ record, visit, disabled }: { record: PatientRecord; visit: Visit; disabled: boolean }) {
  const { open, button, show, hide } = useDialogOpener();
  const [moved, setMoved] = useState<Visit | null>(null);
  const timeZone = record.clinic.timeZone;
  return (
    <>
      <button
        ref={button}
        type="button"
        className="button button--small"
        disabled={disabled}
        onClick={show}
        aria-label={`Move the appointment of ${formatClinicDateTime(visit.startsAt, timeZone)}`}
      >
        Move…
      </button>
      <VisuallyHidden live="polite">
        {moved && `Moved to ${formatClinicDateTime(moved.startsAt, timeZone)} with ${moved.dentist.name}.`}
      </VisuallyHidden>
      {open && (
        <VisitDialog
          record={record}
          visit={visit}
          onClose={hide}
          onSaved={(saved) => {
            setMoved(saved);
            hide();
          }}
        />
      )}
    </>
  );
}
