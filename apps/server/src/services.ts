// The long-lived parts every request shares, built once at start and closed at shutdown.
import { randomBytes } from "node:crypto";
import {
  AuditWriter,
  type AuditWriterOptions,
  type AuditWriterReport,
  type ChairsideOrm,
  ClinicDirectory,
  SessionStore,
} from "@chairside/db";
import { type ServerLog, silentLog } from "./log.ts";
import { LoginThrottle, type ThrottleLimits } from "./login-throttle.ts";
import type { Services } from "./trpc/context.ts";

export interface ServiceOptions {
  /** Signs list cursors; must be the same on every server behind one load balancer. */
  secret?: string;
  production?: boolean;
  loginLimits?: ThrottleLimits;
  /** Batching and bounds of the audit trail's writer (defaults: AUDIT_WRITER_DEFAULTS). */
  audit?: Omit<AuditWriterOptions, "connectionString">;
  /** The server's log (main.ts passes one to standard output); none: nothing is written. */
  log?: ServerLog;
}

export async function createServices(orm: ChairsideOrm, options: ServiceOptions = {}): Promise<Services> {
  const log = options.log ?? silentLog();
  return {
    orm,
    sessions: new SessionStore(orm),
    clinics: await ClinicDirectory.load(orm),
    // Without a configured secret, cursors are valid for this process's lifetime only.
    cursorSecret: options.secret ?? randomBytes(32).toString("hex"),
    production: options.production ?? false,
    loginThrottle: new LoginThrottle(options.loginLimits),
    auditWriter: AuditWriter.forOrm(orm, { log, ...options.audit }),
    log,
  };
}

/** Stops the timers and writes what the audit trail still holds (while the database is up). */
export async function closeServices(services: Services, timeoutMs = 4_000): Promise<AuditWriterReport> {
  services.clinics.close();
  return services.auditWriter.close({ timeoutMs });
}
