// Archiving (with a confirmation: the patient leaves the lists) and restoring. Records are never deleted.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { describeError } from "../../app/api-errors.ts";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import { placePatientInLists } from "../patients-list/list-cache.ts";

type PatientRecord = RouterOutputs["patients"]["byId"];
type SavedPatient = RouterOutputs["patients"]["archive"];

export function ArchiveControl({ record }: { record: PatientRecord }) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const [confirming, setConfirming] = useState(false);
  const onSaved = ({ row, ...saved }: SavedPatient) => {
    setConfirming(false);
    utils.patients.byId.setData({ id: saved.id }, saved);
    placePatientInLists(queryClient, row);
  };
  const archive = trpc.patients.archive.useMutation({ onSuccess: onSaved });
  const restore = trpc.patients.restore.useMutation({ onSuccess: onSaved });
  const failed = archive.error ?? restore.error;

  return (
    <>
      {record.archived ? (
        <button
          type="button"
          className="button"
          disabled={restore.isPending}
          onClick={() => restore.mutate({ id: record.id })}
        >
          {restore.isPending ? "Restoring…" : "Restore"}
        </button>
      ) : confirming ? (
        <div className="confirm-bar">
          <span>Archive this patient? They leave the lists; the record is kept.</span>
          <button
            type="button"
            className="button button--danger button--small"
            disabled={archive.isPending}
            onClick={() => archive.mutate({ id: record.id })}
          >
            {archive.isPending ? "Archiving…" : "Archive"}
          </button>
          <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      ) : (
        <button type="button" className="button button--danger" onClick={() => setConfirming(true)}>
          Archive…
        </button>
      )}
      {failed && (
        <p className="form-error" role="alert">
          {describeError(failed)}
        </p>
      )}
    </>
  );
}
