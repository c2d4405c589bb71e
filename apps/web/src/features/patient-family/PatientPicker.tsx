// Choosing another patient by name, phone or email: the list's own search (patients.list, audited as any search),
// a handful of matches, the current patient left out. Families and merges use it.
import { useDeferredValue, useId, useState } from "react";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";

type PatientListItem = RouterOutputs["patients"]["list"]["items"][number];

const MATCHES_SHOWN = 6;

interface PatientPickerProps {
  label: string;
  /** Left out of the matches: the patient whose record this is. */
  exceptId: number;
  /** The button beside each match ("Join this family", "Compare"). */
  actionLabel: string;
  onPick(patient: PatientListItem): void;
  onCancel(): void;
  busy?: boolean;
}

export function PatientPicker({ label, exceptId, actionLabel, onPick, onCancel, busy = false }: PatientPickerProps) {
  const inputId = useId();
  const [search, setSearch] = useState("");
  const term = useDeferredValue(search.trim());
  const matches = trpc.patients.list.useQuery(
    { search: term, limit: MATCHES_SHOWN + 1, status: "all", archived: "exclude" },
    { enabled: term.length >= 2, staleTime: 30_000 },
  );
  const shown = (matches.data?.items ?? []).filter((patient) => patient.id !== exceptId).slice(0, MATCHES_SHOWN);
  return (
    <div className="patient-picker field">
      <label htmlFor={inputId}>{label}</label>
      <div className="patient-picker-row">
        <input
          id={inputId}
          type="search"
          autoComplete="off"
          placeholder="Name, phone or email"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            // Escape closes the picker, not the record around it.
            if (event.key === "Escape") {
              event.preventDefault();
              onCancel();
            }
          }}
        />
        <button type="button" className="button button--small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {term.length >= 2 && matches.isSuccess && shown.length === 0 && (
        <p className="muted">No other patient matches.</p>
      )}
      {shown.length > 0 && (
        <ul className="patient-picker-matches" aria-label="Matching patients">
          {shown.map((patient) => (
            <li key={patient.id}>
              <span>
                <strong>
                  {patient.firstName} {patient.lastName}
                </strong>{" "}
                <span className="muted">
                  #{patient.id}
                  {patient.age !== null && ` · ${patient.age} years`}
                  {patient.phone && ` · ${patient.phone}`}
                </span>
              </span>
              <button type="button" className="button button--small" disabled={busy} onClick={() => onPick(patient)}>
                {actionLabel}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
