// The long-lived parts every request shares, built once at start and closed at shutdown.
import { randomBytes } from "node:crypto";
import {
  AuditWriter,
  type AuditWriterOptions,
  type AuditWriterReport,
  type ChairsideOrm,
  ChangeListener,
  ClinicDirectory,
  LoginThrottle,
  PatientChangeFeed,
  ReadReplicas,
  SESSION_CACHE_MS,
  SessionStore,
  type ThrottleLimits,
} from "@chairside/db";
import { type ServerLog, silentLog } from "./log.ts";
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
  /** A direct connection to the primary (not through a pooler) on which to hear of sign-outs, staff changes and
   *  changed patients; by default the ORM's own URL. */
  directUrl?: string;
  /** A replica further behind than this serves no read (default REPLICA_DEFAULTS.maxLagMs). */
  replicaMaxLagMs?: number;
}

export async function createServices(orm: ChairsideOrm, options: ServiceOptions = {}): Promise<Services> {
  const log = options.log ?? silentLog();
  const clientUrl = orm.config.get("clientUrl");
  if (!clientUrl) throw new Error("the server needs the ORM's clientUrl");
  const directUrl = options.directUrl ?? clientUrl;
  const replicas = await ReadReplicas.start(orm, {
    directUrl,
    ...(options.replicaMaxLagMs === undefined ? {} : { maxLagMs: options.replicaMaxLagMs }),
  });
  const sessions = new SessionStore(orm, replicas);
  const patientChanges = new PatientChangeFeed();
  // One LISTEN connection per instance, whatever it listens for.
  const changes = new ChangeListener({
    connectionString: directUrl,
    channels: [sessions.staffChanges, patientChanges.channel],
    meanwhile: `cached sessions are re-checked after at most ${SESSION_CACHE_MS / 1000} s and open lists hear of no change`,
    log,
  });
  sessions.hearChangesFrom(changes);
  await changes.start();
  return {
    orm,
    replicas,
    sessions,
    clinics: await ClinicDirectory.load(orm),
    // Without a configured secret, cursors are valid for this process's lifetime only.
    cursorSecret: options.secret ?? randomBytes(32).toString("hex"),
    production: options.production ?? false,
    loginThrottle: new LoginThrottle(orm, options.loginLimits),
    changes,
    patientChanges,
    auditWriter: AuditWriter.forOrm(orm, { log, ...options.audit }),
    log,
  };
}

/** Stops the timers and writes what the audit trail still holds (while the database is up). */
export async function closeServices(services: Services, timeoutMs = 4_000): Promise<AuditWriterReport> {
  services.clinics.close();
  await services.changes.close();
  await services.replicas?.close();
  return services.auditWriter.close({ timeoutMs });
}
