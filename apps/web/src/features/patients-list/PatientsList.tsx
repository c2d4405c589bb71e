// The patients list screen: search, status tabs with counts, the clinic filter for owners, and the table.
// Everything the list shows is decided by the server from the view in the URL.
import { keepPreviousData } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { FIRST_DIRECTION, type ListTab, type PatientsView, type SortKey } from "../../app/patients-view.ts";
import { trpc } from "../../app/trpc.ts";
import { ColumnChooser } from "./ColumnChooser.tsx";
import { useListColumns } from "./column-choice.ts";
import type { ColumnKey } from "./columns.ts";
import { PatientTable } from "./PatientTable.tsx";
import { SearchBox } from "./SearchBox.tsx";
import { StatusTabs, TAB_LABELS } from "./StatusTabs.tsx";
import { useLiveRows } from "./use-live-rows.ts";
import { patientCountsInput, usePatientList } from "./use-patient-list.ts";
import "./patient-list.css";

interface PatientsListProps {
  view: PatientsView;
  onViewChange(change: Partial<PatientsView>, options?: { replace?: boolean }): void;
  selectedId: number | undefined;
  onSelect(id: number): void;
  onOpen(id: number): void;
  /** Controls beside the search (the clinic filter, "New patient"). */
  actions?: ReactNode;
}

export function PatientsList({ view, onViewChange, selectedId, onSelect, onOpen, actions }: PatientsListProps) {
  // The table's own query (one cache entry): from the search box, ArrowDown selects its first row.
  const { rows } = usePatientList(view);
  const enterResults = () => {
    document.getElementById("patient-grid")?.focus();
    if (rows[0]) onSelect(rows[0].id);
  };
  const counts = trpc.patients.counts.useQuery(patientCountsInput(view), { placeholderData: keepPreviousData });
  const columns = useListColumns();
  const [shownColumns, setShownColumns] = useState<readonly ColumnKey[]>([]);
  // Other desks' changes reach the rows without a reload.
  useLiveRows();

  const sortBy = (key: SortKey) =>
    onViewChange({
      sort: {
        by: key,
        direction: view.sort.by === key ? (view.sort.direction === "asc" ? "desc" : "asc") : FIRST_DIRECTION[key],
      },
    });
  const showTab = (tab: ListTab) => onViewChange({ tab });

  return (
    <section className="patients-list" aria-labelledby="patients-heading">
      <div className="list-toolbar">
        <h1 id="patients-heading">Patients</h1>
        <SearchBox
          search={view.search}
          // Starting or clearing a search is a step back can return to; refining one is not.
          onSearch={(search) => onViewChange({ search }, { replace: Boolean(search && view.search) })}
          onEnterResults={enterResults}
        />
        <div className="toolbar-actions">{actions}</div>
      </div>
      <div className="list-tabs-row">
        <StatusTabs tab={view.tab} counts={counts.data} onChange={showTab} />
        <ColumnChooser
          choice={columns.choice}
          onChange={columns.choose}
          offered={columns.offered}
          shown={shownColumns}
        />
      </div>
      <div className="table-panel" role="tabpanel" id="patient-tabpanel" aria-labelledby={`tab-${view.tab}`}>
        <PatientTable
          view={view}
          selectedId={selectedId}
          onSelect={onSelect}
          onOpen={onOpen}
          onSort={sortBy}
          onClearSearch={() => onViewChange({ search: "" })}
          emptyMessage={emptyMessage(view)}
          columnChoice={columns.choice}
          offeredColumns={columns.offered}
          onColumnsShown={setShownColumns}
        />
      </div>
    </section>
  );
}

function emptyMessage(view: PatientsView): string {
  const where = view.tab === "all" ? "" : ` in ${TAB_LABELS[view.tab]}`;
  if (view.search) return `No patients match “${view.search}”${where}.`;
  if (view.tab === "all") return "There are no patients yet.";
  return `There are no ${TAB_LABELS[view.tab].toLowerCase()} patients${view.clinicId ? " at this clinic" : ""}.`;
}
