// The merge's confirmation: both records side by side, the owner picks the one that carries on, and the other's
// visits, family and history move to it. The versions compared are the versions merged: a change meanwhile refuses.
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { describeError } from "../../app/api-errors.ts";
import { usePatientsView } from "../../app/patients-view.ts";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import { ErrorState } from "../../ui/ErrorState.tsx";
import { formatCalendarDate } from "../../ui/format.ts";
import { Modal } from "../../ui/Modal.tsx";
import { refreshLists } from "../patients-list/list-cache.ts";
import "./patient-merge.css";

type PatientRecord = RouterOutputs["patients"]["byId"];

interface MergeDialogProps {
  current: PatientRecord;
  otherId: number;
  onClose(): void;
}

const ROWS: [label: string, value: (record: PatientRecord) => ReactNode][] = [
  ["Name", (record) => `${record.firstName} ${record.lastName}`],
  ["Date of birth", (record) => (record.birthday ? formatCalendarDate(record.birthday) : null)],
  ["Phone", (record) => record.phone],
  ["Email", (record) => record.email],
  ["Address", (record) => record.address],
  ["Clinic", (record) => record.clinic.name],
  ["Last visit", (record) => (record.lastVisit ? formatCalendarDate(record.lastVisit.on) : null)],
  ["Visits", ({ visits }) => `${visits.completed} completed · ${visits.upcoming} upcoming · ${visits.missed} missed`],
  [
    "Family",
    (record) =>
      record.family
        ?.filter((member) => member.id !== record.id)
        .map((member) => `${member.firstName} ${member.lastName}`)
        .join(", ") || null,
  ],
  ["Status", (record) => (record.archived ? "Archived" : "Current")],
];

export function MergeDialog({ current: opened, otherId, onClose }: MergeDialogProps) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const [, updateView] = usePatientsView();
  const current = trpc.patients.byId.useQuery({ id: opened.id }, { initialData: opened }).data ?? opened;
  const other = trpc.patients.byId.useQuery({ id: otherId });
  const [keepId, setKeepId] = useState(opened.id);
  const merge = trpc.patients.merge.useMutation({
    onSuccess: ({ row: _row, ...kept }) => {
      void utils.patients.byId.invalidate();
      utils.patients.byId.setData({ id: kept.id }, kept);
      refreshLists(queryClient);
      onClose();
      updateView({ patientId: kept.id });
    },
    // A stale version: read both again, so that what is compared is what is there now.
    onError: () => void utils.patients.byId.invalidate(),
  });

  const records = other.data ? [current, other.data] : null;
  const keep = records?.find((record) => record.id === keepId);
  const gone = records?.find((record) => record.id !== keepId);

  return (
    <Modal labelledBy="merge-title" onClose={onClose} className="merge-dialog">
      <header className="modal-header">
        <h2 id="merge-title">Merge two records of one patient</h2>
      </header>
      <div className="modal-body">
        {other.isPending && <p className="muted">Loading the other record…</p>}
        {other.isError && <ErrorState compact title="The other record could not be loaded" error={other.error} />}
        {records && keep && gone && (
          <>
            <p>
              Choose the record that carries on. The other one's visits, family and history move to it; it stays
              archived as "merged into" the kept one, so nothing is lost.
            </p>
            <table className="merge-compare" aria-label="The two records side by side">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Field</span>
                  </th>
                  {records.map((record) => (
                    <th key={record.id} scope="col" data-record-id={record.id}>
                      <label className="merge-keep">
                        <input
                          type="radio"
                          name="merge-keep"
                          checked={record.id === keepId}
                          onChange={() => setKeepId(record.id)}
                        />
                        Keep #{record.id}
                      </label>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ROWS.map(([label, value]) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    {records.map((record) => {
                      const shown = value(record);
                      return (
                        <td key={record.id} className={shown === null ? "muted" : undefined}>
                          {shown ?? "Not recorded"}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {merge.error && (
          <p className="form-error" role="alert">
            {describeError(merge.error)}
          </p>
        )}
      </div>
      <footer className="modal-footer form-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--danger"
          disabled={!keep || !gone || merge.isPending}
          onClick={() =>
            keep &&
            gone &&
            merge.mutate({ keepId: keep.id, keepVersion: keep.version, mergeId: gone.id, mergeVersion: gone.version })
          }
        >
          {merge.isPending ? "Merging…" : gone && keep ? `Merge #${gone.id} into #${keep.id}` : "Merge"}
        </button>
      </footer>
    </Modal>
  );
}
