// "Book a visit" on the record, and what was booked, said where the next appointment shows.
import { useState } from "react";
import type { RouterOutputs } from "../../app/trpc.ts";
import { formatClinicDateTime } from "../../ui/format.ts";
import { VisuallyHidden } from "../../ui/VisuallyHidden.tsx";
import { useDialogOpener } from "./use-dialog-opener.ts";
import { VisitDialog } from "./VisitDialog.tsx";
import type { Visit } from "./visit-cache.ts";

type PatientRecord = RouterOutputs["patients"]["byId"];

export function BookVisit({ record }: { record: PatientRecord }) {
  const { open, button, show, hide } = useDialogOpener();
  const [booked, setBooked] = useState<Visit | null>(null);
  // An archived record takes no new bookings (the API refuses them) until it is restored. A dialog already open
  // when another desk archives the patient stays, with what was typed: saving says why it is refused.
  if (record.archived && !open) return null;
  return (
    <div className="book-visit">
      {!record.archived && (
        <button ref={button} type="button" className="button button--small" onClick={show}>
          Book a visit
        </button>
      )}
      <VisuallyHidden live="polite">
        {booked &&
          `Booked ${booked.service.name} with ${booked.dentist.name} for ${formatClinicDateTime(booked.startsAt, record.clinic.timeZone)}.`}
      </VisuallyHidden>
      {open && (
        <VisitDialog
          record={record}
          onClose={hide}
          onSaved={(visit) => {
            setBooked(visit);
            hide();
          }}
        />
      )}
    </div>
  );
}
