import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { Clinic } from "./clinic.ts";

/**
 * How many patients of a clinic, archived or not, had their last visit on each day (in the clinic's time zone;
 * -infinity for never), kept by PostgreSQL in the same transaction as every change to a patient (see Patient's
 * `tally` trigger). The tab counts without a search add these up instead of counting patients, so that their cost
 * follows the days of a practice's history rather than its patients; the status cut-off is a range of days.
 */
export const PatientTally = defineEntity({
  name: "PatientTally",
  properties: {
    clinic: () => p.manyToOne(Clinic).primary().deleteRule("cascade"),
    archived: p.boolean().primary(),
    /** The local date of the last visit; -infinity for patients never seen. */
    visitDay: p.date().primary(),
    patients: p.integer(),
  },
});

export type PatientTally = InferEntity<typeof PatientTally>;
