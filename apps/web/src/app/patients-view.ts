// What the patients screen shows, as it lives in the URL: the tab, clinic, sort, search and the open patient.
// One parser and one serializer, so every link, reload and back/forward lands on the same view.

import { PATIENT_LIST_TABS, PATIENT_SORT_KEYS, SORT_DIRECTIONS } from "@chairside/db/list-options";
import type { PatientListInput, PatientSort } from "@chairside/db/schemas";
import { useCallback, useMemo } from "react";
import { type NavigateOptions, navigate, useLocationSearch } from "./location.ts";

/** The status tabs, then Archived (the archived patients, whatever their status). */
export const LIST_TABS = [...PATIENT_LIST_TABS, "archived"] as const;
export type ListTab = (typeof LIST_TABS)[number];
export type SortKey = PatientSort["by"];

/** The direction a column sorts in when first clicked: names A-Z, dates newest first. */
export const FIRST_DIRECTION: Record<SortKey, PatientSort["direction"]> = {
  name: "asc",
  lastVisit: "desc",
  createdAt: "desc",
};
const DEFAULT_SORT: PatientSort = { by: "name", direction: "asc" };

export interface PatientsView {
  tab: ListTab;
  clinicId: number | undefined;
  sort: PatientSort;
  /** As typed into the search box, trimmed. */
  search: string;
  /** The patient whose record is open beside the list. */
  patientId: number | undefined;
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.find((candidate) => candidate === value);

function positiveInt(value: string | null): number | undefined {
  if (!value || !/^\d{1,10}$/.test(value)) return undefined;
  const number = Number(value);
  return number > 0 && number <= 2_147_483_647 ? number : undefined;
}

export function parsePatientsView(query: string): PatientsView {
  const params = new URLSearchParams(query);
  const by = oneOf(PATIENT_SORT_KEYS, params.get("sort"));
  return {
    tab: oneOf(LIST_TABS, params.get("status")) ?? "all",
    clinicId: positiveInt(params.get("clinic")),
    sort: by ? { by, direction: oneOf(SORT_DIRECTIONS, params.get("dir")) ?? FIRST_DIRECTION[by] } : DEFAULT_SORT,
    search: (params.get("q") ?? "").trim().slice(0, 100),
    patientId: positiveInt(params.get("patient")),
  };
}

/** The URL parameters of a view; defaults are left out so that links stay short. */
export function patientsViewParams(view: PatientsView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.tab !== "all") params.set("status", view.tab);
  if (view.clinicId !== undefined) params.set("clinic", String(view.clinicId));
  if (view.sort.by !== DEFAULT_SORT.by || view.sort.direction !== DEFAULT_SORT.direction) {
    params.set("sort", view.sort.by);
    params.set("dir", view.sort.direction);
  }
  if (view.search) params.set("q", view.search);
  if (view.patientId !== undefined) params.set("patient", String(view.patientId));
  return params;
}

export function usePatientsView(): [PatientsView, (change: Partial<PatientsView>, options?: NavigateOptions) => void] {
  const query = useLocationSearch();
  const view = useMemo(() => parsePatientsView(query), [query]);
  const update = useCallback((change: Partial<PatientsView>, options?: NavigateOptions) => {
    // Read the address at call time: two updates in one event must not undo each other.
    const current = parsePatientsView(window.location.search);
    navigate(patientsViewParams({ ...current, ...change }), options);
  }, []);
  return [view, update];
}

/** The list's filters for a view; useInfiniteQuery adds the cursor. */
export function listFilters(view: PatientsView) {
  return {
    search: view.search || undefined,
    clinicId: view.clinicId,
    ...(view.tab === "archived"
      ? { status: "all" as const, archived: "only" as const }
      : { status: view.tab, archived: "exclude" as const }),
  } satisfies Partial<PatientListInput>;
}
