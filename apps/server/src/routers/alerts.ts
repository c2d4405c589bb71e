// Medical alerts: noting, correcting and removing a patient's allergies, conditions and premedication. The record
// (patients.byId) reads the current ones and the list row their kinds, so there is no read here. Each change is
// audited with the alert's kind or the fields a correction changed, never its text (the trail holds no health data).
import { alertAddInput, alertIdInput, alertUpdateInput } from "@chairside/db";
import { procedure, router } from "../trpc/trpc.ts";

export const alertsRouter = router({
  /** Notes an alert on a patient of the caller's clinics; answers with the patient's alerts and list row. */
  add: procedure.input(alertAddInput).mutation(async ({ ctx, input }) => {
    const saved = await ctx.db.alerts.add(input);
    ctx.audit.note({
      action: "alert.add",
      patientId: saved.change.patientId,
      clinicId: saved.change.clinicId,
      details: { alertId: saved.change.alertId, kind: input.kind },
    });
    return { alerts: saved.alerts, row: saved.row };
  }),

  /** Corrects the alert `id` as the caller read it: a CONFLICT with the current alerts if it changed since. */
  update: procedure.input(alertUpdateInput).mutation(async ({ ctx, input }) => {
    const saved = await ctx.db.alerts.update(input);
    ctx.audit.note({
      action: "alert.update",
      patientId: saved.change.patientId,
      clinicId: saved.change.clinicId,
      details: {
        alertId: saved.change.alertId,
        replaces: saved.change.changed.length > 0 ? input.id : null,
        fields: saved.change.changed,
      },
    });
    return { alerts: saved.alerts, row: saved.row };
  }),

  /** Removes the alert from the record's current ones; it is kept, with when and by whom it was removed. */
  remove: procedure.input(alertIdInput).mutation(async ({ ctx, input }) => {
    const saved = await ctx.db.alerts.remove(input.id);
    ctx.audit.note({
      action: "alert.remove",
      patientId: saved.change.patientId,
      clinicId: saved.change.clinicId,
      details: { alertId: input.id },
    });
    return { alerts: saved.alerts, row: saved.row };
  }),
});
