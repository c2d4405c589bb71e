import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/** A treatment the clinic offers; an appointment books one. */
export const Service = defineEntity({
  name: "Service",
  properties: {
    id: p.integer().primary(),
    name: p.string().length(200),
    category: p.string().length(100),
    durationMinutes: p.integer(),
  },
});

export type Service = InferEntity<typeof Service>;
