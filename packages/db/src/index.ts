// @chairside/db: what the server, the seeder and the tests use of the data layer.
export * from "./clinic-rules.ts";
export * from "./entities/index.ts";
export * from "./env.ts";
export { type ChairsideOrm, createOrm, ormConfig } from "./orm.ts";
export { type Database, openDatabase, probe } from "./postgres/database.ts";
export { DatabaseStartupError } from "./postgres/errors.ts";
export { hashPassword, verifyPassword } from "./staff/passwords.ts";
