// Patients: the list staff live in, its tab counts, (patient-records.ts) the record itself, (patient-changes.ts)
// other desks' changes as they happen, and (patient-families.ts) families and merges.
import { patientFilters, patientListInput } from "@chairside/db";
import { procedure, router } from "../trpc/trpc.ts";
import { patientChangeProcedures } from "./patient-changes.ts";
import { patientFamilyProcedures } from "./patient-families.ts";
import { patientRecordProcedures } from "./patient-records.ts";

export const patientsRouter = router({
  /** One page of the infinite list: exactly one SQL statement, keyset-paginated, never a write. */
  list: procedure.input(patientListInput).query(async ({ ctx, input }) => {
    const page = await ctx.db.patients.list(input);
    ctx.audit.note({
      action: "patient.list",
      clinicId: input.clinicId ?? null,
      details: {
        search: input.search ?? null,
        status: input.status,
        archived: input.archived,
        clinicId: input.clinicId ?? null,
        sort: input.sort,
        firstPage: !input.cursor,
        shown: page.items.length,
      },
    });
    return page;
  }),

  /** How many patients each tab holds for the same search and clinic: a search too, so audited like one. */
  counts: procedure.input(patientFilters.pick({ search: true, clinicId: true })).query(async ({ ctx, input }) => {
    const counts = await ctx.db.patients.counts(input);
    ctx.audit.note({
      action: "patient.count",
      clinicId: input.clinicId ?? null,
      details: { search: input.search ?? null, clinicId: input.clinicId ?? null },
    });
    return counts;
  }),

  ...patientRecordProcedures,
  ...patientChangeProcedures,
  ...patientFamilyProcedures,
});
