// The list's columns, in order: which sort each header offers, and below which width of the list a column
// is left out (a tablet, or a record open beside the list) so the ones that matter keep their room.
import type { SortKey } from "../../app/patients-view.ts";

export interface Column {
  key: "name" | "age" | "phone" | "email" | "lastVisit" | "status" | "clinic" | "added";
  label: string;
  /** The class of its header and cells: it sets the column's width (see patient-list.css). */
  className: string;
  sort?: SortKey;
  /** Left out when the list is narrower than this (px). */
  hiddenBelow?: number;
}

export const COLUMNS: readonly Column[] = [
  { key: "name", label: "Name", className: "cell-name", sort: "name" },
  { key: "age", label: "Age", className: "cell-number", hiddenBelow: 760 },
  { key: "phone", label: "Phone", className: "cell-phone" },
  { key: "email", label: "Email", className: "cell-email", hiddenBelow: 1100 },
  { key: "lastVisit", label: "Last visit", className: "cell-visit", sort: "lastVisit" },
  { key: "status", label: "Status", className: "cell-status" },
  { key: "clinic", label: "Clinic", className: "cell-clinic", hiddenBelow: 900 },
  { key: "added", label: "Added", className: "cell-added", sort: "createdAt", hiddenBelow: 760 },
];

export function columnsFor(listWidth: number): readonly Column[] {
  return COLUMNS.filter((column) => column.hiddenBelow === undefined || listWidth >= column.hiddenBelow);
}
