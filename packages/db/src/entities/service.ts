import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { ServiceRepository } from "../catalog/repositories.ts";

/** A treatment the clinic offers; an appointment books one. */
export const Service = defineEntity({
  name: "Service",
  repository: () => ServiceRepository,
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(200),
    category: p.string().length(100),
    durationMinutes: p.integer(),
  },
});

export type Service = InferEntity<typeof Service>;
