import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { ClinicRepository } from "../catalog/repositories.ts";

/** A practice location. Its time zone decides what "today" means for its patients' status. */
export const Clinic = defineEntity({
  name: "Clinic",
  repository: () => ClinicRepository,
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(200),
    address: p.text(),
    phone: p.string().length(40),
    /** IANA time zone, e.g. "Europe/Madrid". */
    timeZone: p.string().length(64),
  },
  triggers: [
    {
      // The tab counts' tallies count days in the clinic's time zone (see PatientTally): a new zone recounts them.
      name: "retally",
      timing: "after",
      events: ["update"],
      forEach: "row",
      body: `
        if NEW.time_zone is distinct from OLD.time_zone then
          perform rebuild_patient_tally();
        end if;
        return null;`,
    },
    {
      // Recall dates are local dates too: a new zone has each patient's recomputed (the patient's `recall_due`
      // trigger replaces whatever is written there by the rule's value).
      name: "recall_redate",
      timing: "after",
      events: ["update"],
      forEach: "row",
      body: `
        if NEW.time_zone is distinct from OLD.time_zone then
          update patient set recall_due_on = null where clinic_id = NEW.id and recall_due_on is not null;
        end if;
        return null;`,
    },
  ],
});

export type Clinic = InferEntity<typeof Clinic>;
