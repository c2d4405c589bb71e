// The open patient beside the list: the record, its actions (edit, archive, restore), the appointments and,
// for owners, its activity (the audit trail).
// It is in the URL (?patient=id), so reload, back/forward and links restore it; Escape closes it.
import { useEffect, useRef, useState } from "react";
import { errorCode } from "../../app/api-errors.ts";
import { mayEditPatients, mayReadAuditTrail } from "../../app/permissions.ts";
import { trpc } from "../../app/trpc.ts";
import { ErrorState } from "../../ui/ErrorState.tsx";
import { StatusBadge } from "../../ui/StatusBadge.tsx";
import { useSignedInStaff } from "../auth/session.tsx";
import { MergeControl } from "../patient-merge/MergeControl.tsx";
import { ActivityLog } from "./ActivityLog.tsx";
import { AppointmentHistory } from "./AppointmentHistory.tsx";
import { ArchiveControl } from "./ArchiveControl.tsx";
import { EditPatient } from "./EditPatient.tsx";
import { PatientRecordView } from "./PatientRecordView.tsx";
import "./patient-detail.css";

interface PatientDrawerProps {
  patientId: number;
  onClose(): void;
}

const archivedFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });

export function PatientDrawer({ patientId, onClose }: PatientDrawerProps) {
  const staff = useSignedInStaff();
  const record = trpc.patients.byId.useQuery({ id: patientId });
  const clinics = trpc.clinics.list.useQuery(undefined, { staleTime: 10 * 60_000 });
  const [editing, setEditing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // A modal dialog (New patient) or a field (the search box, a form) may claim Escape first.
      if (event.key !== "Escape" || event.defaultPrevented || document.querySelector("dialog[open]")) return;
      onClose();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onClose]);

  const patient = record.data;
  const title = patient ? `${patient.firstName} ${patient.lastName}` : "Patient record";

  useEffect(() => {
    document.title = `${title} · Chairside`;
    return () => {
      document.title = "Chairside";
    };
  }, [title]);
  const mayEdit = mayEditPatients(staff);
  const mayReadAudit = mayReadAuditTrail(staff);

  return (
    <aside className="drawer" aria-labelledby="patient-drawer-title" data-patient-id={patientId}>
      <header className="drawer-header">
        <div className="drawer-title">
          <h2 id="patient-drawer-title" ref={heading} tabIndex={-1}>
            {title}
          </h2>
          {patient && (
            <p className="muted">
              Patient #{patient.id} · {patient.clinic.name}
              {patient.age !== null && ` · ${patient.age} years`}
            </p>
          )}
        </div>
        {patient && <StatusBadge status={patient.status} archived={patient.archived} />}
        <button type="button" className="icon-button" aria-label="Close the patient record" onClick={onClose}>
          <svg viewBox="0 0 20 20" aria-hidden="true">
            <path d="m5.3 4.2 4.7 4.7 4.7-4.7 1.1 1.1-4.7 4.7 4.7 4.7-1.1 1.1-4.7-4.7-4.7 4.7-1.1-1.1 4.7-4.7-4.7-4.7z" />
          </svg>
        </button>
      </header>
      <div className="drawer-body">
        {record.isPending && <DrawerSkeleton />}
        {record.isError && (
          <ErrorState
            title={errorCode(record.error) === "NOT_FOUND" ? "No such patient" : "The record could not be loaded"}
            error={record.error}
            onRetry={errorCode(record.error) === "NOT_FOUND" ? undefined : () => void record.refetch()}
          />
        )}
        {patient && (
          <>
            {patient.archived && (
              <p className="notice" role="status">
                Archived{patient.archivedAt ? ` on ${archivedFormat.format(patient.archivedAt)}` : ""}. The record is
                kept; the patient is only listed under Archived.
              </p>
            )}
            {mayEdit && !editing && (
              <div className="record-actions">
                <button type="button" className="button" onClick={() => setEditing(true)}>
                  Edit
                </button>
                <ArchiveControl record={patient} />
                <MergeControl record={patient} />
              </div>
            )}
            {editing ? (
              <EditPatient record={patient} clinics={clinics.data ?? []} onClose={() => setEditing(false)} />
            ) : (
              <PatientRecordView record={patient} />
            )}
            <AppointmentHistory record={patient} />
            {mayReadAudit && <ActivityLog record={patient} />}
          </>
        )}
      </div>
    </aside>
  );
}

function DrawerSkeleton() {
  return (
    <div className="drawer-skeleton" aria-hidden="true">
      {[70, 45, 85, 60, 75, 50].map((width) => (
        <span key={width} className="skeleton-bar" style={{ width: `${width}%` }} />
      ))}
    </div>
  );
}
