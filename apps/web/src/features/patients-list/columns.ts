// The list's columns: what each is called, its sort, the width its content needs to read whole, and which ones
// stay when the list is too narrow for every column the staff member chose (a phone, a record open beside it).
import type { SortKey } from "../../app/patients-view.ts";

export const COLUMN_KEYS = ["name", "birthday", "phone", "email", "lastVisit", "status", "clinic", "added"] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

export interface Column {
  key: ColumnKey;
  label: string;
  /** The class of its header and cells (see patient-table.css). */
  className: string;
  sort?: SortKey;
  /** The least width (px, padding included) at which its values read whole, on up to two lines. */
  width: number;
  /** Takes a share of the width the shown columns leave over. */
  grows?: boolean;
  /** Which columns stay when not all fit: the lower, the longer it stays (the name always does). */
  keep: number;
}

export const COLUMNS: Record<ColumnKey, Column> = {
  name: { key: "name", label: "Name", className: "cell-name", sort: "name", width: 168, grows: true, keep: 0 },
  birthday: { key: "birthday", label: "Date of birth", className: "cell-birthday", width: 104, keep: 1 },
  status: { key: "status", label: "Status", className: "cell-status", width: 92, keep: 2 },
  phone: { key: "phone", label: "Phone", className: "cell-phone", width: 132, keep: 3 },
  lastVisit: {
    key: "lastVisit",
    label: "Last visit",
    className: "cell-visit",
    sort: "lastVisit",
    width: 240,
    grows: true,
    keep: 4,
  },
  email: { key: "email", label: "Email", className: "cell-email", width: 244, grows: true, keep: 5 },
  clinic: { key: "clinic", label: "Clinic", className: "cell-clinic", width: 156, keep: 6 },
  added: { key: "added", label: "Added", className: "cell-added", sort: "createdAt", width: 110, keep: 7 },
};

/** What the staff member chose: the columns in their order, and those they hid. */
export interface ColumnChoice {
  order: readonly ColumnKey[];
  hidden: readonly ColumnKey[];
}

export const DEFAULT_COLUMN_CHOICE: ColumnChoice = { order: COLUMN_KEYS, hidden: [] };

/** A column and the width it gets (undefined: what the others leave). */
export interface LaidOutColumn {
  column: Column;
  width: number | undefined;
}

export interface ColumnLayout {
  columns: LaidOutColumn[];
  /** A phone's width: the date of birth is the name's second line, so that the status still fits beside it. */
  birthdayUnderName: boolean;
}

/** Below this list width (px) the date of birth goes under the name. */
const BIRTHDAY_UNDER_NAME_BELOW = 480;

/**
 * The chosen columns that fit `listWidth`, in the chosen order: taken by `keep` while they fit, so a narrow list
 * shows the columns that tell patients apart and a narrow column may still fill the room a wide one left. The
 * width left over goes to the growing columns; the first of them takes whatever remains.
 */
export function layOutColumns(
  listWidth: number,
  choice: ColumnChoice,
  offered: (key: ColumnKey) => boolean,
): ColumnLayout {
  const wanted = choice.order.filter((key) => offered(key) && (key === "name" || !choice.hidden.includes(key)));
  const birthdayUnderName = listWidth < BIRTHDAY_UNDER_NAME_BELOW && wanted.includes("birthday");
  const candidates = birthdayUnderName ? wanted.filter((key) => key !== "birthday") : wanted;
  const shown = new Set<ColumnKey>();
  let used = 0;
  for (const key of [...candidates].sort((a, b) => COLUMNS[a].keep - COLUMNS[b].keep)) {
    const { width } = COLUMNS[key];
    if (key !== "name" && used + width > listWidth) continue;
    shown.add(key);
    used += width;
  }
  const columns = candidates.filter((key) => shown.has(key)).map((key) => COLUMNS[key]);
  const growing = columns.filter((column) => column.grows);
  const spare = Math.max(0, listWidth - used) / Math.max(1, growing.length);
  return {
    birthdayUnderName,
    columns: columns.map((column) => ({
      column,
      width: column === growing[0] ? undefined : column.grows ? Math.floor(column.width + spare) : column.width,
    })),
  };
}
