// What the Recall screen shows, as it lives in the URL (`?view=recall&clinic=2&patient=17`): the clinic whose
// recall list it is and the patient whose record is open beside it.
import { useCallback, useMemo } from "react";
import { navigate, useLocationSearch } from "../../app/location.ts";

export interface RecallView {
  clinicId: number | undefined;
  patientId: number | undefined;
}

function positiveInt(value: string | null): number | undefined {
  if (!value || !/^\d{1,10}$/.test(value)) return undefined;
  const number = Number(value);
  return number > 0 && number <= 2_147_483_647 ? number : undefined;
}

export function parseRecallView(query: string): RecallView {
  const params = new URLSearchParams(query);
  return { clinicId: positiveInt(params.get("clinic")), patientId: positiveInt(params.get("patient")) };
}

export function recallViewParams(view: RecallView): URLSearchParams {
  const params = new URLSearchParams({ view: "recall" });
  if (view.clinicId !== undefined) params.set("clinic", String(view.clinicId));
  if (view.patientId !== undefined) params.set("patient", String(view.patientId));
  return params;
}

export function useRecallView(): [RecallView, (change: Partial<RecallView>) => void] {
  const query = useLocationSearch();
  const view = useMemo(() => parseRecallView(query), [query]);
  const update = useCallback((change: Partial<RecallView>) => {
    const current = parseRecallView(window.location.search);
    navigate(recallViewParams({ ...current, ...change }));
  }, []);
  return [view, update];
}

/** "due today", "12 days", "3 months": how long a recall has been due. */
export function overdueBy(days: number): string {
  if (days <= 0) return "due today";
  if (days === 1) return "1 day";
  if (days < 60) return `${days} days`;
  const months = Math.floor(days / 30.44);
  return months < 24 ? `${months} months` : `${Math.floor(months / 12)} years`;
}
