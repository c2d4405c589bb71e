// Who may call what: the one table that decides every procedure. A procedure missing here cannot be
// called at all (the policy middleware refuses it), and test/policy.test.ts walks every row with every role.
import type { StaffRole } from "@chairside/db";

/**
 * How far a role reaches in a procedure:
 * - all:    every clinic (owners)
 * - clinic: the clinics the staff member works at; another clinic's patient is NOT_FOUND
 * - own:    within their clinics, only appointments where they are the dentist
 */
export type Reach = "all" | "clinic" | "own";
export type Access = "anyone" | "signed-in" | Partial<Record<StaffRole, Reach>>;

const readers = { owner: "all", receptionist: "clinic", dentist: "clinic" } as const;
const frontDesk = { owner: "all", receptionist: "clinic" } as const;
/** Whoever treats or receives the patient notes what they learn: an allergy told at the desk or in the chair. */
const alertKeepers = { owner: "all", receptionist: "clinic", dentist: "clinic" } as const;
const appointmentKeepers = { owner: "all", receptionist: "clinic", dentist: "own" } as const;

export const POLICY = {
  "auth.login": "anyone",
  "auth.logout": "signed-in",
  "auth.me": "signed-in",

  "patients.list": readers,
  "patients.counts": readers,
  "patients.byId": readers,
  "patients.create": frontDesk,
  "patients.update": frontDesk,
  "patients.archive": frontDesk,
  "patients.restore": frontDesk,
  "patients.changes": readers,
  "patients.rows": readers,
  "patients.linkFamily": frontDesk,
  "patients.unlinkFamily": frontDesk,
  "patients.merge": { owner: "all" },

  "appointments.listByPatient": readers,
  "appointments.create": appointmentKeepers,
  "appointments.setStatus": appointmentKeepers,
  "appointments.reschedule": appointmentKeepers,

  // Dentists may see who is due back (they see the clinic's patients anyway); taking the list out of Chairside
  // as a file is the front desk's job.
  "recall.list": readers,
  "recall.export": frontDesk,
  "alerts.add": alertKeepers,
  "alerts.update": alertKeepers,
  "alerts.remove": alertKeepers,

  "clinics.list": readers,
  "services.list": readers,
  "staff.dentists": readers,

  "audit.list": { owner: "all" },
} as const satisfies Record<string, Access>;

export type ProcedurePath = keyof typeof POLICY;
