// The practice's reference data: clinics, services and dentists, for filters and forms.
import { dentistListInput, listClinics, listDentists, listServices } from "@chairside/db";
import { procedure, router } from "../trpc/trpc.ts";
import { scopeOf } from "./scope.ts";

export const clinicsRouter = router({
  /** The clinics the caller works at (an owner: every clinic), by name. */
  list: procedure.query(({ ctx }) => listClinics(ctx.em, scopeOf(ctx.grant))),
});

export const servicesRouter = router({
  /** Every treatment offered, by category then name. */
  list: procedure.query(({ ctx }) => listServices(ctx.em)),
});

export const staffRouter = router({
  /** Dentists taking appointments at the caller's clinics (optionally one clinic), by name. */
  dentists: procedure
    .input(dentistListInput)
    .query(({ ctx, input }) => listDentists(ctx.em, input, scopeOf(ctx.grant))),
});
