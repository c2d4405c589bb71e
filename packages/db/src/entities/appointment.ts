import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { AppointmentRepository } from "../appointments/repository.ts";
import { APPOINTMENT_STATUS_VALUES, type AppointmentStatus } from "../appointments/statuses.ts";
import { Clinic } from "./clinic.ts";
import { Patient } from "./patient.ts";
import { Service } from "./service.ts";
import { StaffMember } from "./staff-member.ts";

export const APPOINTMENT_STATUSES = APPOINTMENT_STATUS_VALUES;
export type { AppointmentStatus };

/** A booked visit. Completing, un-completing, moving or deleting one keeps the patient's last visit right. */
export const Appointment = defineEntity({
  name: "Appointment",
  repository: () => AppointmentRepository,
  properties: {
    id: p.integer().primary().autoincrement(),
    patient: () => p.manyToOne(Patient).ref(),
    dentist: () => p.manyToOne(StaffMember).ref(),
    service: () => p.manyToOne(Service).ref(),
    clinic: () => p.manyToOne(Clinic).ref(),
    /** When the visit takes (or took) place; "last visit" orders by this, not by completedAt. */
    startsAt: p.datetime(3),
    status: p.enum(APPOINTMENT_STATUSES).default("pending"),
    completedAt: p.datetime(3).nullable(),
    notes: p.text().default(""),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [
    // A patient's history (newest first) and the last-visit refresh, which reads a patient's completed ones.
    { name: "appointment_patient_starts_idx", properties: ["patient", "startsAt", "id"] },
    // The double-booking check: a dentist's appointments around a time, while their row is locked.
    { name: "appointment_dentist_starts_idx", properties: ["dentist", "startsAt"] },
  ],
  triggers: [
    {
      // The last-visit rule (clinic-rules.ts) enforced where no code path can skip it: any change that can
      // alter which completed appointment is a patient's latest recomputes it, in the same transaction.
      // OLD is null on insert and NEW on delete, so each branch covers all three operations.
      name: "last_visit",
      timing: "after",
      events: ["insert", "update", "delete"],
      forEach: "row",
      body: `
        if OLD.status = 'completed' and (NEW is null or NEW.status <> 'completed'
            or NEW.patient_id <> OLD.patient_id or NEW.starts_at <> OLD.starts_at) then
          perform refresh_last_visit(array[OLD.patient_id]);
        end if;
        if NEW.status = 'completed' and (OLD is null or OLD.status <> 'completed'
            or OLD.patient_id <> NEW.patient_id or OLD.starts_at <> NEW.starts_at) then
          perform refresh_last_visit(array[NEW.patient_id]);
        end if;
        return null;`,
    },
  ],
});

export type Appointment = InferEntity<typeof Appointment>;
