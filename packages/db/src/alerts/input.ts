// What a medical alert is and what adding, editing or removing one may send: the one definition the API
// validates and the SPA's form validates with. Pure zod, so the browser can import it.
import { z } from "zod";
import { recordId } from "../record-id.ts";
import { isVisibleLine, storableText } from "../text.ts";

/** The kinds of alert, most urgent first: the order the banner lists them in and the badge names them in. */
export const ALERT_KINDS = ["allergy", "premedication", "condition"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** How staff read each kind. */
export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  allergy: "Allergy",
  premedication: "Premedication",
  condition: "Condition",
};

export const ALERT_TEXT_MAX = 200;

/** Kinds in the one order (most urgent first), each once. */
export function inAlertOrder(kinds: Iterable<AlertKind>): AlertKind[] {
  const present = new Set(kinds);
  return ALERT_KINDS.filter((kind) => present.has(kind));
}

/** What the alert says ("Penicillin", "Type 2 diabetes"): one line, required, bounded. */
const alertText = storableText()
  .trim()
  .min(1, "required")
  .max(ALERT_TEXT_MAX, `at most ${ALERT_TEXT_MAX} characters`)
  .refine(isVisibleLine, {
    message: "needs a visible letter or digit, on one line without control characters",
    when: (check) => check.issues.length === 0,
  });

export const alertFields = z.object({
  kind: z.enum(ALERT_KINDS),
  text: alertText,
});

export const alertAddInput = alertFields.extend({ patientId: recordId });

/** An edit of the alert `id` as it was read. An alert changed or removed since is a CONFLICT (see alerts.update). */
export const alertUpdateInput = alertFields.partial().extend({ id: recordId });

export const alertIdInput = z.object({ id: recordId });

export type AlertFields = z.infer<typeof alertFields>;
export type AlertAddInput = z.infer<typeof alertAddInput>;
export type AlertUpdateInput = z.infer<typeof alertUpdateInput>;
export type AlertIdInput = z.infer<typeof alertIdInput>;
