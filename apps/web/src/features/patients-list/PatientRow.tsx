// One patient in the list: name, age, phone, email, last visit (date, service, dentist), status, clinic, added.
import { type MouseEvent, memo, type ReactNode } from "react";
import { type PatientsView, patientsViewParams } from "../../app/patients-view.ts";
import { formatCalendarDate } from "../../ui/format.ts";
import { StatusBadge } from "../../ui/StatusBadge.tsx";
import { AlertBadge } from "../patient-alerts/AlertBadge.tsx";
import type { Column } from "./columns.ts";
import type { PatientListRow } from "./use-patient-list.ts";

interface PatientRowProps {
  patient: PatientListRow;
  clinicName: string;
  index: number;
  view: PatientsView;
  columns: readonly Column[];
  selected: boolean;
  onOpen(id: number): void;
}

export const PatientRow = memo(function PatientRow({
  patient,
  clinicName,
  index,
  view,
  columns,
  selected,
  onOpen,
}: PatientRowProps) {
  const name = `${patient.lastName}, ${patient.firstName}`;
  const href = `?${patientsViewParams({ ...view, patientId: patient.id })}`;
  const open = (event: MouseEvent) => {
    // Let ctrl/cmd/shift-click open the record in a new tab, as links do.
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(patient.id);
  };
  const none = <span className="muted">—</span>;
  const cells: Record<Column["key"], ReactNode> = {
    // The grid is the tab stop (arrows + Enter); the link serves the mouse and "open in a new tab".
    name: (
      <span className="name-with-alerts">
        <a href={href} tabIndex={-1} className="patient-link">
          {name}
        </a>
        <AlertBadge kinds={patient.alertKinds} />
      </span>
    ),
    age: patient.age ?? none,
    phone: patient.phone ?? none,
    email: patient.email ? <span title={patient.email}>{patient.email}</span> : none,
    lastVisit: patient.lastVisit ? (
      <>
        <span className="cell-main">{formatCalendarDate(patient.lastVisit.on)}</span>
        <span className="cell-sub" title={`${patient.lastVisit.service} · ${patient.lastVisit.dentist}`}>
          {patient.lastVisit.service} · {patient.lastVisit.dentist}
        </span>
      </>
    ) : (
      <span className="muted">No visit yet</span>
    ),
    status: <StatusBadge status={patient.status} archived={patient.archived} />,
    clinic: (
      <span className="clinic-name" title={clinicName}>
        {clinicName}
      </span>
    ),
    added: formatCalendarDate(patient.addedOn),
  };
  return (
    <tr
      id={`patient-row-${patient.id}`}
      className={selected ? "patient-row is-selected" : "patient-row"}
      data-patient-id={patient.id}
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      onClick={open}
    >
      {columns.map((column) => (
        <td key={column.key} className={column.className}>
          {cells[column.key]}
        </td>
      ))}
    </tr>
  );
});
