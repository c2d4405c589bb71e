// A column header that sorts the list (server-side) when clicked; clicking it again reverses the order.

import type { PatientSort } from "@chairside/db/schemas";
import type { SortKey } from "../../app/patients-view.ts";

interface SortableHeaderProps {
  label: string;
  sortKey: SortKey;
  sort: PatientSort;
  onSort(key: SortKey): void;
  className?: string;
}

export function SortableHeader({ label, sortKey, sort, onSort, className }: SortableHeaderProps) {
  const active = sort.by === sortKey;
  const direction = active ? (sort.direction === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" aria-sort={direction ?? "none"} className={className}>
      <button
        type="button"
        className={active ? "sort-button is-active" : "sort-button"}
        onClick={() => onSort(sortKey)}
      >
        {label}
        <span className="sort-icon" aria-hidden="true">
          {active ? (sort.direction === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </button>
    </th>
  );
}
