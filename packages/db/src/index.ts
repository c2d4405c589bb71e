// @chairside/db: what the server, the seeder and the tests use of the data layer.

// The ORM's failures the API turns into error codes (see apps/server/src/trpc/errors.ts).
export {
  ConnectionException,
  NotFoundError,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from "@mikro-orm/core";
export * from "./clinic-rules.ts";
export { ClinicDirectory } from "./clinics/directory.ts";
export * from "./entities/index.ts";
export * from "./env.ts";
export { ChairsideError, type ChairsideErrorCode } from "./errors.ts";
export { type ChairsideOrm, createOrm, ormConfig } from "./orm.ts";
export { countPatients, type PatientTabCounts } from "./patients/counts.ts";
export type { ClinicScope } from "./patients/filters.ts";
export {
  listPatients,
  type PatientListEnvironment,
  type PatientListItem,
  type PatientListPage,
} from "./patients/list.ts";
export * from "./patients/list-input.ts";
export { type Database, openDatabase, probe } from "./postgres/database.ts";
export { DatabaseStartupError } from "./postgres/errors.ts";
export { hashPassword, verifyPassword } from "./staff/passwords.ts";
export { type Session, SessionStore, type SignedInStaff } from "./staff/sessions.ts";
