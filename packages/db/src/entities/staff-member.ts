import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { StaffMemberRepository } from "../catalog/repositories.ts";
import { Clinic } from "./clinic.ts";
import { StaffMemberClinic } from "./staff-member-clinic.ts";

export const STAFF_ROLES = ["owner", "receptionist", "dentist"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Someone who signs in: an owner (every clinic), a receptionist or a dentist (their clinics). */
export const StaffMember = defineEntity({
  name: "StaffMember",
  repository: () => StaffMemberRepository,
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(200),
    email: p.string().length(320),
    /** scrypt hash with its parameters and salt; never leaves the server. */
    passwordHash: p.string().length(200).hidden().lazy(),
    role: p.enum(STAFF_ROLES),
    clinics: () => p.manyToMany(Clinic).pivotEntity(() => StaffMemberClinic),
    archived: p.boolean().default(false),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
  indexes: [],
  uniques: [
    // Sign-in looks staff up by email, case-blind; two accounts may not share one in any casing.
    {
      name: "staff_member_email_unique",
      expression: 'create unique index "staff_member_email_unique" on "staff_member" (lower("email"))',
    },
  ],
  triggers: [
    {
      // Every server instance caches who is signed in; any change to a staff member (archived, role, name)
      // tells them all at commit, whichever code path or tool made it (postgres/change-listener.ts listens).
      name: "staff_changed",
      timing: "after",
      events: ["update", "delete"],
      forEach: "row",
      body: `perform pg_notify('staff_changed', OLD.id::text);
        return null;`,
    },
  ],
});

export type StaffMember = InferEntity<typeof StaffMember>;
