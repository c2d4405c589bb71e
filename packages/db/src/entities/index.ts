export * from "./appointment.ts";
export * from "./audit-entry.ts";
export * from "./clinic.ts";
export * from "./medical-alert.ts";
export * from "./patient.ts";
export * from "./patient-tally.ts";
export * from "./service.ts";
export * from "./sign-in-failure-count.ts";
export * from "./staff-member.ts";
export * from "./staff-member-clinic.ts";
export * from "./staff-session.ts";

import { Appointment } from "./appointment.ts";
import { AuditEntry } from "./audit-entry.ts";
import { Clinic } from "./clinic.ts";
import { MedicalAlert } from "./medical-alert.ts";
import { Patient } from "./patient.ts";
import { PatientTally } from "./patient-tally.ts";
import { Service } from "./service.ts";
import { SignInFailureCount } from "./sign-in-failure-count.ts";
import { StaffMember } from "./staff-member.ts";
import { StaffMemberClinic } from "./staff-member-clinic.ts";
import { StaffSession } from "./staff-session.ts";

/** Every entity, for the ORM's discovery. */
export const entities = [
  Clinic,
  Service,
  StaffMember,
  StaffMemberClinic,
  StaffSession,
  Patient,
  PatientTally,
  Appointment,
  MedicalAlert,
  AuditEntry,
  SignInFailureCount,
];
