// The practice's reference data: clinics, services and dentists, for filters and forms.
import { dentistListInput } from "@chairside/db";
import { procedure, router } from "../trpc/trpc.ts";

export const clinicsRouter = router({
  /** The clinics the caller works at (an owner: every clinic), by name. */
  list: procedure.query(({ ctx }) => ctx.db.clinics.list()),
});

export const servicesRouter = router({
  /** Every treatment offered, by category then name. */
  list: procedure.query(({ ctx }) => ctx.db.services.list()),
});

export const staffRouter = router({
  /** Dentists taking appointments at the caller's clinics (optionally one clinic), by name. */
  dentists: procedure.input(dentistListInput).query(({ ctx, input }) => ctx.db.staff.dentists(input)),
});
