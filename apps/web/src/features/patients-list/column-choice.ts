// Which list columns a staff member shows, and in what order: remembered in this browser's localStorage per staff
// member (the key holds their id), so two people sharing a desk each keep their own.
import { useCallback, useMemo, useState } from "react";
import { worksAtSeveralClinics } from "../../app/permissions.ts";
import { useSignedInStaff } from "../auth/session.tsx";
import { COLUMN_KEYS, type ColumnChoice, type ColumnKey, DEFAULT_COLUMN_CHOICE } from "./columns.ts";

export const columnChoiceKey = (staffId: number) => `chairside.patient-columns.${staffId}`;

const isColumnKey = (key: unknown): key is ColumnKey => (COLUMN_KEYS as readonly unknown[]).includes(key);

/** The column keys of a stored list, or null when it is not a list. Checked by hand rather than with zod, which
 *  would otherwise enter the first paint's bundle for this one value. */
const storedKeys = (value: unknown): ColumnKey[] | null => (Array.isArray(value) ? value.filter(isColumnKey) : null);

/** A stored choice, made whole: unknown columns dropped, columns it does not know yet added where they belong. */
export function readColumnChoice(stored: string | null): ColumnChoice {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored ?? "null");
  } catch {
    return DEFAULT_COLUMN_CHOICE;
  }
  const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const [storedOrder, storedHidden] = [storedKeys(record.order), storedKeys(record.hidden)];
  if (!storedOrder || !storedHidden) return DEFAULT_COLUMN_CHOICE;
  const order = [...new Set(storedOrder)];
  for (const [index, key] of COLUMN_KEYS.entries()) if (!order.includes(key)) order.splice(index, 0, key);
  return { order, hidden: storedHidden.filter((key) => key !== "name") };
}

export function useColumnChoice(staffId: number): [ColumnChoice, (choice: ColumnChoice) => void] {
  const key = columnChoiceKey(staffId);
  const [choice, setChoice] = useState(() => readColumnChoice(readStorage(key)));
  const update = useCallback(
    (next: ColumnChoice) => {
      setChoice(next);
      try {
        localStorage.setItem(key, JSON.stringify(next));
      } catch {
        // Storage full or refused (a private window): the choice lasts until the page is left.
      }
    },
    [key],
  );
  return [choice, update];
}

/** The signed-in staff member's columns: their choice, how to change it, and the columns on offer to them. */
export function useListColumns() {
  const staff = useSignedInStaff();
  const [choice, choose] = useColumnChoice(staff.id);
  const offered = useMemo(() => COLUMN_KEYS.filter((key) => key !== "clinic" || worksAtSeveralClinics(staff)), [staff]);
  return { choice, choose, offered };
}

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** The choice with `key` swapped with its neighbour above (-1) or below (+1) among the columns on offer. */
export function moveColumn(
  choice: ColumnChoice,
  key: ColumnKey,
  step: -1 | 1,
  offered: readonly ColumnKey[],
): ColumnChoice {
  const listed = choice.order.filter((candidate) => offered.includes(candidate));
  const neighbour = listed[listed.indexOf(key) + step];
  if (!listed.includes(key) || !neighbour) return choice;
  const order = choice.order.map((candidate) =>
    candidate === key ? neighbour : candidate === neighbour ? key : candidate,
  );
  return { ...choice, order };
}

export function showColumn(choice: ColumnChoice, key: ColumnKey, shown: boolean): ColumnChoice {
  const hidden = choice.hidden.filter((candidate) => candidate !== key);
  return { ...choice, hidden: shown || key === "name" ? hidden : [...hidden, key] };
}
