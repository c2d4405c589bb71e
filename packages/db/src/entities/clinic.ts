import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/** A practice location. Its time zone decides what "today" means for its patients' status. */
export const Clinic = defineEntity({
  name: "Clinic",
  properties: {
    id: p.integer().primary(),
    name: p.string().length(200),
    address: p.text(),
    phone: p.string().length(40),
    /** IANA time zone, e.g. "Europe/Madrid". */
    timeZone: p.string().length(64),
  },
});

export type Clinic = InferEntity<typeof Clinic>;
