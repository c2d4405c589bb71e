// Other desks' changes, live: which patients changed (ids only, as PostgreSQL announced them) for the clinics the
// caller reaches, and their rows re-read through the list's own query and scope, audited like the list.
import { patientChangesInput, patientRowsInput } from "@chairside/db";
import { tracked } from "@trpc/server";
import { clinicsReachedBy, procedure } from "../trpc/trpc.ts";

export const patientChangeProcedures = {
  /**
   * Server-sent events (tRPC's httpSubscriptionLink), each tracked by an id: a client that reconnects with the last
   * one gets what it missed from the instance's recent window, or `missed` (fetch the lists again). Idle, it costs
   * the keep-alive pings only.
   */
  changes: procedure.input(patientChangesInput).subscription(async function* ({ ctx, input, signal }) {
    const token = ctx.token;
    for await (const { id, event } of ctx.patientChanges.follow({ lastEventId: input?.lastEventId, signal })) {
      // The session as it is now: one that ended hears nothing more, and a changed staff member's clinics apply.
      const session = token ? await ctx.sessions.authenticate(token) : null;
      if (!session) return;
      if (event.kind === "changed") {
        const clinics = clinicsReachedBy(session.staff);
        if (clinics !== null && !clinics.includes(event.clinicId)) continue;
      }
      yield tracked(id, event);
    }
  }),

  /** The rows of these patients as the list shows them now (those the caller reaches), read on the primary. */
  rows: procedure
    .meta({ primary: true })
    .input(patientRowsInput)
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.patients.rows(input.ids);
      ctx.audit.note({
        action: "patient.list",
        details: { patientIds: rows.map((row) => row.id), changedElsewhere: true, shown: rows.length },
      });
      return rows;
    }),
};
