// Which actions to offer the signed-in staff member. The API's policy table (apps/server/src/trpc/policy.ts)
// decides and refuses anything else; this only spares people buttons that would fail. Keep it in step.
import type { SignedInStaff } from "../features/auth/session.tsx";

/** patients.create / update / archive / restore: the front desk (owners and receptionists). */
export function mayEditPatients(staff: SignedInStaff): boolean {
  return staff.role === "owner" || staff.role === "receptionist";
}

/** alerts.add / update / remove: everyone who treats or receives patients notes what they learn of them. */
export function mayKeepAlerts(staff: SignedInStaff): boolean {
  return staff.role === "owner" || staff.role === "receptionist" || staff.role === "dentist";
}

/** appointments.create / setStatus / reschedule: the front desk, and a dentist for their own appointments. */
export function mayChangeAppointment(staff: SignedInStaff, dentistId: number): boolean {
  return staff.role !== "dentist" || staff.id === dentistId;
}

/** audit.list: the audit trail (who saw and changed what) is for owners only. */
export function mayReadAuditTrail(staff: SignedInStaff): boolean {
  return staff.role === "owner";
}

/** Staff of several clinics (owners: every clinic) see which clinic each patient is at; staff of one need not. */
export function worksAtSeveralClinics(staff: SignedInStaff): boolean {
  return staff.clinicIds.length > 1;
}

/** recall.export: taking the recall list out of Chairside as a file is the front desk's (recall.list: every reader). */
export function mayExportRecall(staff: SignedInStaff): boolean {
  return staff.role === "owner" || staff.role === "receptionist";
}

/** patients.merge: merging two records of one person is for owners. */
export function mayMergePatients(staff: SignedInStaff): boolean {
  return staff.role === "owner";
}
