import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { ALERT_KINDS } from "../alerts/input.ts";
import { AlertRepository } from "../alerts/repository.ts";
import { Patient } from "./patient.ts";
import { StaffMember } from "./staff-member.ts";

/**
 * Something staff must know before treating a patient: an allergy, a condition, a premedication. Never deleted
 * nor rewritten: removing one stamps `removedAt`, and an edit removes it and notes its successor (`replaces`),
 * so the record's history keeps every alert as it was stated, when and by whom.
 */
export const MedicalAlert = defineEntity({
  name: "MedicalAlert",
  repository: () => AlertRepository,
  properties: {
    id: p.integer().primary().autoincrement(),
    patient: () => p.manyToOne(Patient).ref(),
    kind: p.enum(ALERT_KINDS),
    text: p.string().length(200),
    notedAt: p.datetime(3),
    notedBy: () => p.manyToOne(StaffMember).ref(),
    /** The alert this one corrected (an edit); each alert is corrected at most once. */
    replaces: () => p.manyToOne(MedicalAlert).ref().nullable().unique("medical_alert_replaces_unique"),
    /** null while the alert is current. */
    removedAt: p.datetime(3).nullable(),
    removedBy: () => p.manyToOne(StaffMember).ref().nullable(),
  },
  indexes: [
    // A patient's current alerts: the record's banner, and the list row's badge (a subquery per row of a page,
    // answered from this index alone).
    {
      name: "medical_alert_patient_idx",
      expression:
        'create index "medical_alert_patient_idx" on "medical_alert" ("patient_id", "kind") where "removed_at" is null',
    },
  ],
});

export type MedicalAlert = InferEntity<typeof MedicalAlert>;
