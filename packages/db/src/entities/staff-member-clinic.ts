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
});

export type StaffMemberClinic = InferEntity<typeof StaffMemberClinic>;
