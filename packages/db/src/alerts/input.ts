// What a medical alert is and what adding, editing or removing one may send: the one definition the API
// validates and the SPA's form validates with. Pure zod, so the browser can import it.
import { z } from "zod";
import { recordId } from "../record-id.ts";
import { isVisibleLine, storableText } from "../text.ts";
import { ALERT_KINDS } from "./kinds.ts";

export * from "./kinds.ts";

export const ALERT_TEXT_MAX = 200;

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
