// @chairside/db: what the server, the seeder and the tests use of the data layer.

// The ORM's failures the API turns into error codes (see apps/server/src/trpc/errors.ts).
export {
  ConnectionException,
  NotFoundError,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from "@mikro-orm/core";
export * from "./alerts/input.ts";
export type { MedicalAlertItem } from "./alerts/items.ts";
export type { AlertRepository, SavedAlerts } from "./alerts/repository.ts";
export type { AlertChange, StaleAlertConflict } from "./alerts/write.ts";
// What the repositories return, and what the API accepts.
export type { StaleAppointmentConflict } from "./appointments/booking.ts";
export type { AppointmentClash, DentistBusyConflict } from "./appointments/diary.ts";
export type { AppointmentHistoryPage } from "./appointments/history.ts";
export * from "./appointments/input.ts";
export type { AppointmentChange, AppointmentItem } from "./appointments/items.ts";
// The data API: one repository per domain, bound to a request (see repositories.ts and scope.ts).
export type { AppointmentRepository } from "./appointments/repository.ts";
export * from "./appointments/statuses.ts";
// The audit trail: who saw and changed what (entries written in the request's transaction or in batches).
export * from "./audit/actions.ts";
export type { AppointmentState } from "./audit/appointment-state.ts";
export type { AuditEntryInput } from "./audit/entry.ts";
export type { AuditListItem, AuditListPage } from "./audit/list.ts";
export type { AuditRepository } from "./audit/repository.ts";
export {
  AUDIT_WRITER_DEFAULTS,
  AuditWriter,
  type AuditWriterOptions,
  type AuditWriterProblem,
  type AuditWriterReport,
} from "./audit/writer.ts";
// Reference data: clinics, services, dentists.
export * from "./catalog/input.ts";
export type { ClinicItem, DentistItem, ServiceItem } from "./catalog/reference-data.ts";
export type { ClinicRepository, ServiceRepository, StaffMemberRepository } from "./catalog/repositories.ts";
export * from "./clinic-rules.ts";
export { ClinicDirectory } from "./clinics/directory.ts";
export * from "./entities/index.ts";
export * from "./env.ts";
export { ChairsideError, type ChairsideErrorCode } from "./errors.ts";
export { defaultLog, type Log } from "./log.ts";
export { type ChairsideOrm, createOrm, ormConfig } from "./orm.ts";
export type { Page } from "./paging.ts";
export {
  PATIENT_CHANGED_CHANNEL,
  type PatientChange,
  type PatientChangeEvent,
  PatientChangeFeed,
} from "./patients/changes.ts";
export { type PatientTabCounts, SEARCH_COUNT_CAP } from "./patients/counts.ts";
export type { FamilyConflict } from "./patients/family.ts";
export * from "./patients/family-input.ts";
export type { PatientListItem, PatientListPage, PatientListRow } from "./patients/list.ts";
export * from "./patients/list-input.ts";
export * from "./patients/list-order.ts";
export { MOVED_ON_MERGE, type StaleMergeConflict } from "./patients/merge.ts";
export type { RecallListItem, RecallListPage } from "./patients/recall.ts";
export * from "./patients/recall-input.ts";
export { type NamedRef, NOT_UPCOMING_STATUSES, type PatientRecord } from "./patients/record.ts";
export type { DuplicatePatientConflict, PatientMatch } from "./patients/record-duplicates.ts";
export * from "./patients/record-input.ts";
export type { StalePatientConflict } from "./patients/record-write.ts";
export type { PatientRepository, SavedPatient } from "./patients/repository.ts";
export { type ChangeChannel, ChangeListener } from "./postgres/change-listener.ts";
export { type Database, openDatabase, probe } from "./postgres/database.ts";
export { DatabaseStartupError } from "./postgres/errors.ts";
export {
  type DatabaseStatus,
  lsnOf,
  REPLICA_DEFAULTS,
  type ReadReplicaOptions,
  ReadReplicas,
  type ReadRoute,
  type WriteMark,
} from "./postgres/replicas.ts";
export {
  createServerOrm,
  type PoolMode,
  SERVER_DRIVER_OPTIONS,
  SERVER_SETTINGS,
  type ServerDatabase,
  serverDatabaseOf,
} from "./postgres/server-database.ts";
export { isConnectionFailure } from "./postgres/unreachable.ts";
export { type Repositories, repositoriesFor } from "./repositories.ts";
export { ClinicScope, type RequestScope } from "./scope.ts";
export { DEFAULT_LOGIN_LIMITS, LoginThrottle, type ThrottleLimits } from "./staff/login-throttle.ts";
export { hashPassword, verifyPassword } from "./staff/passwords.ts";
export {
  SESSION_CACHE_MS,
  type Session,
  SessionStore,
  type SignedInStaff,
  STAFF_CHANGED_CHANNEL,
} from "./staff/sessions.ts";
export * from "./text.ts";
