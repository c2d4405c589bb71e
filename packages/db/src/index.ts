// @chairside/db: what the server, the seeder and the tests use of the data layer.

// The ORM's failures the API turns into error codes (see apps/server/src/trpc/errors.ts).
export {
  ConnectionException,
  NotFoundError,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from "@mikro-orm/core";
// Appointments: a patient's history, booking, status changes and moves (the last visit follows in SQL).
export type { AppointmentReach } from "./appointments/access.ts";
export { bookAppointment, rescheduleAppointment } from "./appointments/booking.ts";
export type { AppointmentClash } from "./appointments/diary.ts";
export { type AppointmentHistoryPage, listPatientAppointments } from "./appointments/history.ts";
export * from "./appointments/input.ts";
export type { AppointmentChange, AppointmentItem, PatientVisitSummary } from "./appointments/items.ts";
export { setAppointmentStatus } from "./appointments/status.ts";
export * from "./appointments/statuses.ts";
// The audit trail: who saw and changed what (entries written in the request's transaction or in batches).
export * from "./audit/actions.ts";
export { type AppointmentState, lockAppointmentState } from "./audit/appointment-state.ts";
export { type AuditEntryInput, insertAuditEntries } from "./audit/entry.ts";
export { type AuditListItem, type AuditListPage, listAuditEntries } from "./audit/list.ts";
export {
  AUDIT_WRITER_DEFAULTS,
  AuditWriter,
  type AuditWriterOptions,
  type AuditWriterProblem,
  type AuditWriterReport,
} from "./audit/writer.ts";
// Reference data: clinics, services, dentists.
export * from "./catalog/input.ts";
export {
  type ClinicItem,
  type DentistItem,
  listClinics,
  listDentists,
  listServices,
  type ServiceItem,
} from "./catalog/reference-data.ts";
export * from "./clinic-rules.ts";
export { ClinicDirectory } from "./clinics/directory.ts";
export * from "./entities/index.ts";
export * from "./env.ts";
export { ChairsideError, type ChairsideErrorCode } from "./errors.ts";
export { defaultLog, type Log } from "./log.ts";
export { type ChairsideOrm, createOrm, ormConfig, SERVER_DRIVER_OPTIONS } from "./orm.ts";
export { countPatients, type PatientTabCounts } from "./patients/counts.ts";
export type { ClinicScope } from "./patients/filters.ts";
export {
  listPatients,
  type PatientListEnvironment,
  type PatientListItem,
  type PatientListPage,
} from "./patients/list.ts";
export * from "./patients/list-input.ts";
export {
  findPatientRecord,
  getPatientRecord,
  type NamedRef,
  NOT_UPCOMING_STATUSES,
  type PatientRecord,
} from "./patients/record.ts";
export type { DuplicatePatientConflict, PatientMatch } from "./patients/record-duplicates.ts";
export * from "./patients/record-input.ts";
export {
  archivePatient,
  createPatient,
  restorePatient,
  type StalePatientConflict,
  updatePatient,
} from "./patients/record-write.ts";
export { type Database, openDatabase, probe } from "./postgres/database.ts";
export { DatabaseStartupError } from "./postgres/errors.ts";
export { hashPassword, verifyPassword } from "./staff/passwords.ts";
export { type Session, SessionStore, type SignedInStaff } from "./staff/sessions.ts";
