// One patient in the list: name, date of birth and age, phone, email, last visit (date, service, dentist), status,
// clinic, added; in the columns the staff member chose.
import { type MouseEvent, memo, type ReactNode } from "react";
import type { ClinicFacts } from "../../app/clinics.ts";
import { type PatientsView, patientsViewParams } from "../../app/patients-view.ts";
import { ContactLink } from "../../ui/ContactLink.tsx";
import { formatBirthday, formatCalendarDate, formatEmail } from "../../ui/format.ts";
import { StatusBadge } from "../../ui/StatusBadge.tsx";
import type { FormatPhone } from "../../ui/use-phone-format.ts";
import { AlertBadge } from "../patient-alerts/AlertBadge.tsx";
import type { Column } from "./columns.ts";
import type { PatientListRow } from "./use-patient-list.ts";

interface PatientRowProps {
  patient: PatientListRow;
  /** The patient's clinic (undefined until clinics.list has answered). */
  clinic: ClinicFacts | undefined;
  formatPhone: FormatPhone;
  index: number;
  view: PatientsView;
  columns: readonly Column[];
  /** On a phone the date of birth is the name's second line (see columns.ts). */
  birthdayUnderName: boolean;
  selected: boolean;
  onOpen(id: number): void;
}

export const PatientRow = memo(function PatientRow({
  patient,
  clinic,
  formatPhone,
  index,
  view,
  columns,
  birthdayUnderName,
  selected,
  onOpen,
}: PatientRowProps) {
  const name = `${patient.lastName}, ${patient.firstName}`;
  const href = `?${patientsViewParams({ ...view, patientId: patient.id })}`;
  const open = (event: MouseEvent) => {
    // Let ctrl/cmd/shift-click open the record in a new tab, as links do.
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    // A phone or email link calls or writes; it does not open the record.
    if (event.target instanceof Element && event.target.closest(".contact-link")) return;
    event.preventDefault();
    onOpen(patient.id);
  };
  const none = <span className="muted">—</span>;
  // The grid is the tab stop (arrows + Enter); the link serves the mouse and "open in a new tab".
  const nameLink = (
    <a href={href} tabIndex={-1} className="patient-link">
      {name}
    </a>
  );
  const badge = <AlertBadge kinds={patient.alertKinds} />;
  const cells: Record<Column["key"], ReactNode> = {
    name: birthdayUnderName ? (
      <>
        <span className="cell-main name-with-alerts">
          {nameLink}
          {badge}
        </span>
        <span className="cell-sub">
          {patient.birthday ? `${formatBirthday(patient.birthday)} · age ${patient.age}` : "No date of birth"}
        </span>
      </>
    ) : (
      <>
        {nameLink}
        {badge}
      </>
    ),
    birthday: patient.birthday ? (
      <>
        <span className="cell-main">{formatBirthday(patient.birthday)}</span>
        <span className="cell-sub">age {patient.age}</span>
      </>
    ) : (
      none
    ),
    phone: patient.phone ? <ContactLink contact={formatPhone(patient.phone, clinic?.phone)} tabIndex={-1} /> : none,
    email: patient.email ? <ContactLink contact={formatEmail(patient.email)} tabIndex={-1} /> : none,
    lastVisit: patient.lastVisit ? (
      <>
        <span className="cell-main">{formatCalendarDate(patient.lastVisit.on)}</span>
        <span className="cell-sub">
          {patient.lastVisit.service} · {patient.lastVisit.dentist}
        </span>
      </>
    ) : (
      <span className="muted">No visit yet</span>
    ),
    status: <StatusBadge status={patient.status} archived={patient.archived} />,
    clinic: <span className="clinic-name">{clinic?.name}</span>,
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
