// The per-request context: a fresh EntityManager, the caller (if signed in) and the shared services.
// createContextInner is pure (no HTTP), so tests build contexts directly and call procedures with createCaller.
import type {
  AuditWriter,
  ChairsideOrm,
  ChangeListener,
  ClinicDirectory,
  LoginThrottle,
  PatientChangeFeed,
  ReadReplicas,
  Session,
  SessionStore,
  WriteMark,
} from "@chairside/db";
// The cookie plugin's request/reply typings, wherever the context type travels (client, SPA).
import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerLog } from "../log.ts";
import { AuditRecorder } from "./audit.ts";
import { writeMarkOf } from "./read-your-writes.ts";

/** What lives as long as the server: shared by every request. */
export interface Services {
  orm: ChairsideOrm;
  /** Routes reads to the replicas; null without any (DATABASE_REPLICA_URLS). */
  replicas: ReadReplicas | null;
  sessions: SessionStore;
  clinics: ClinicDirectory;
  cursorSecret: string;
  production: boolean;
  loginThrottle: LoginThrottle;
  /** The one LISTEN connection of this instance (staff and patient changes); closed at shutdown. */
  changes: ChangeListener;
  /** The changed patients this instance hears of, which patients.changes follows. */
  patientChanges: PatientChangeFeed;
  /** Writes the audit entries of reads and sign-ins in batches; closed (flushed) at shutdown. Built at
   *  first use when absent, until createServices builds it. */
  auditWriter: AuditWriter;
  /** The server's log (Fastify writes to it too). */
  log: ServerLog;
}

export interface ContextInput {
  services: Services;
  /** The session token from the Authorization header or the session cookie. */
  token: string | null;
  clientAddress: string;
  /** Present over HTTP: lets auth procedures set and clear the session cookie. */
  reply?: FastifyReply;
  /** Present over HTTP: the id in the request's log line and in its answer's `x-request-id`. */
  requestId?: string;
  /** The caller's last write, as their request carries it (read-your-writes.ts). */
  lastWrite?: WriteMark | null;
}

export interface Context extends Services {
  em: ReturnType<ChairsideOrm["em"]["fork"]>;
  auditWriter: AuditWriter;
  /** What this request saw and changed: `note` it on success, `record` it whatever happens (see trpc/audit.ts). */
  audit: AuditRecorder;
  token: string | null;
  clientAddress: string;
  reply: FastifyReply | undefined;
  requestId: string | null;
  /** Resolved by the policy middleware for procedures that need a signed-in caller. */
  session: Session | null;
  /** The caller's last write, which their reads must see: updated by each write of the request. */
  readYourWrites: { last: WriteMark | null };
  /** The token's session, looked up at most once per request however many calls its batch holds. */
  lookUpSession(): Promise<Session | null>;
  now: Date;
}

export function createContextInner({
  services,
  token,
  clientAddress,
  reply,
  requestId,
  lastWrite = null,
}: ContextInput): Context {
  const now = new Date();
  let lookup: Promise<Session | null> | undefined;
  return {
    ...services,
    em: services.orm.em.fork(),
    auditWriter: services.auditWriter,
    audit: new AuditRecorder(services.auditWriter, { clientAddress, now }),
    token,
    clientAddress,
    reply,
    requestId: requestId ?? null,
    session: null,
    readYourWrites: { last: lastWrite },
    lookUpSession: () => {
      lookup ??= token ? services.sessions.authenticate(token, now) : Promise.resolve(null);
      return lookup;
    },
    now,
  };
}

export const SESSION_COOKIE = "chairside_session";

/** How a request authenticates: the one rule the context and the cross-site check (app.ts) both follow. */
export type Credential = { via: "bearer" | "cookie"; token: string };

/** A `Bearer` Authorization header wins; any other Authorization header is ignored and the cookie counts. */
export function credentialOf(request: FastifyRequest): Credential | null {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) {
    const token = header.slice("Bearer ".length).trim();
    return token ? { via: "bearer", token } : null;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? { via: "cookie", token: cookie } : null;
}

export function contextFactory(services: Services) {
  return (request: FastifyRequest, reply: FastifyReply): Context =>
    createContextInner({
      services,
      token: credentialOf(request)?.token ?? null,
      clientAddress: request.ip,
      reply,
      requestId: request.id,
      lastWrite: writeMarkOf(request),
    });
}
