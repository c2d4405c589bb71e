import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { Clinic } from "./clinic.ts";
import { StaffMember } from "./staff-member.ts";

/** Which clinics a staff member works at: the join table of StaffMember.clinics, declared so that queries can
 *  name it (a typed table for the query builder). */
export const StaffMemberClinic = defineEntity({
  name: "StaffMemberClinic",
  tableName: "staff_member_clinics",
  properties: {
    staffMember: () => p.manyToOne(StaffMember).primary().deleteRule("cascade").updateRule("cascade"),
    clinic: () => p.manyToOne(Clinic).primary().deleteRule("cascade").updateRule("cascade"),
  },
  triggers: [
    {
      // Moving a staff member to other clinics changes what their cached sessions reach, on every instance.
      // OLD is null on insert and NEW on delete.
      name: "staff_changed",
      timing: "after",
      events: ["insert", "update", "delete"],
      forEach: "row",
      body: `perform pg_notify('staff_changed', coalesce(NEW.staff_member_id, OLD.staff_member_id)::text);
        if OLD.staff_member_id <> NEW.staff_member_id then
          perform pg_notify('staff_changed', OLD.staff_member_id::text);
        end if;
        return null;`,
    },
  ],
});

export type StaffMemberClinic = InferEntity<typeof StaffMemberClinic>;
