import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { StaffMember } from "./staff-member.ts";

/** A signed-in staff member's session. Only the token's SHA-256 is stored: a database leak signs nobody in. */
export const StaffSession = defineEntity({
  name: "StaffSession",
  properties: {
    id: p.integer().primary().autoincrement(),
    tokenHash: p.string().length(64),
    staff: () => p.manyToOne(StaffMember).ref().deleteRule("cascade"),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    expiresAt: p.datetime(3),
    revokedAt: p.datetime(3).nullable(),
  },
  uniques: [
    // Every authenticated request looks its session up by the token's hash.
    { name: "staff_session_token_hash_unique", properties: ["tokenHash"] },
  ],
  triggers: [
    {
      // A sign-out or a revoked session reaches every instance's session cache at commit.
      name: "session_changed",
      timing: "after",
      events: ["update", "delete"],
      forEach: "row",
      body: `perform pg_notify('staff_changed', OLD.staff_id::text);
        return null;`,
    },
  ],
});

export type StaffSession = InferEntity<typeof StaffSession>;
