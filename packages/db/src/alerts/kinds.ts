// The kinds of medical alert and how staff read them: plain TypeScript, so the list's badge takes them without
// the forms' schemas (zod) entering the first paint.

/** The kinds of alert, most urgent first: the order the banner lists them in and the badge names them in. */
export const ALERT_KINDS = ["allergy", "premedication", "condition"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** How staff read each kind. */
export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  allergy: "Allergy",
  premedication: "Premedication",
  condition: "Condition",
};

/** Kinds in the one order (most urgent first), each once. */
export function inAlertOrder(kinds: Iterable<AlertKind>): AlertKind[] {
  const present = new Set(kinds);
  return ALERT_KINDS.filter((kind) => present.has(kind));
}
