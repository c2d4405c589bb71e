// The tRPC builders: superjson, errors shaped for callers, and the policy check on every procedure.
// Routers import only `router` and `procedure` from here.
import { ClinicScope, type RequestScope, repositoriesFor, type Session, type SignedInStaff } from "@chairside/db";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { withAuditTrail } from "./audit.ts";
import type { Context } from "./context.ts";
import { toTRPCError } from "./errors.ts";
import { type Access, POLICY, type Reach } from "./policy.ts";
import { onReadRoute } from "./read-route.ts";
import { rememberWrite } from "./read-your-writes.ts";
import { transformer } from "./transformer.ts";

const SSE_PING_MS = 15_000;

/** What a procedure declares about itself beyond its input. */
export interface ProcedureMeta {
  /** false: the mutation opens no transaction around its work, so that what it writes commits statement by statement
   *  even when it fails (a sign-in's count) and it never waits for a second connection while holding one. */
  transaction?: boolean;
  /** true: the query reads on the primary, never a replica, since it must see what was just announced as committed
   *  (a list re-reading rows another desk changed), which a replica may not have replayed yet. */
  primary?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    // Subscriptions (patients.changes) over server-sent events: a comment every 15 s keeps proxies from closing an
    // idle stream, and a client that hears nothing for 20 s (no ping either) reconnects with its last event id.
    sse: {
      ping: { enabled: true, intervalMs: SSE_PING_MS },
      client: { reconnectAfterInactivityMs: SSE_PING_MS + 5_000 },
    },
    // No stack trace and no internal message in any answer, in development too (`npm start` is what a new user
    // runs): over HTTP every 5xx is logged with its stack and the request id (trpc/http.ts, log.ts), which the
    // caller gets to quote.
    errorFormatter({ shape, error, ctx }) {
      const hide = error.code === "INTERNAL_SERVER_ERROR";
      const details = (error.cause as { details?: unknown } | undefined)?.details;
      const requestId = ctx?.requestId ?? null;
      const hidden = requestId
        ? `something went wrong on our side; it has been logged as request ${requestId}`
        : "something went wrong on our side";
      return {
        ...shape,
        message: hide ? hidden : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          /** The request's id, as in its log line and its `x-request-id` header; null for in-process calls. */
          requestId,
          /** Field issues of invalid input: `{ formErrors, fieldErrors }`. */
          zodError:
            error.code === "BAD_REQUEST" && error.cause instanceof ZodError
              ? z.flattenError(error.cause as ZodError<Record<string, unknown>>)
              : null,
          /** What a CONFLICT is about (the existing duplicate, the current record...). */
          details: error.code !== "INTERNAL_SERVER_ERROR" && details !== undefined ? details : null,
        },
      };
    },
  });

/** Errors from the domain and the ORM become codes a caller can act on; anything else stays internal. */
const errorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause ?? result.error);
    if (mapped && mapped !== result.error) throw mapped;
  }
  return result;
});

/** What the policy table grants the caller in this procedure. */
export interface Grant {
  reach: Reach;
  staffId: number;
  /** null when the reach is every clinic. */
  clinicIds: number[] | null;
}

/** The policy table's decision on a call: who the caller is and how far they reach, or an error. */
async function grantFor(ctx: Context, path: string): Promise<{ session: Session | null; grant: Grant | null }> {
  const access: Access | undefined = POLICY[path as keyof typeof POLICY];
  if (!access) throw new TRPCError({ code: "FORBIDDEN", message: `${path} is not in the policy table` });
  if (access === "anyone") return { session: ctx.session, grant: null };

  const session = await ctx.lookUpSession();
  if (!session) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first; your session may have expired" });
  const { staff } = session;
  const reach: Reach | undefined = access === "signed-in" ? "clinic" : access[staff.role];
  if (!reach) throw new TRPCError({ code: "FORBIDDEN", message: `a ${staff.role} may not do this` });
  const effective = staff.role === "owner" ? "all" : reach;
  return { session, grant: { reach: effective, staffId: staff.id, clinicIds: clinicsReachedBy(staff, effective) } };
}

/** The clinics a staff member reaches with a reach (null: every clinic), as the session says now. */
export function clinicsReachedBy(staff: SignedInStaff, reach: Reach = "clinic"): number[] | null {
  return staff.role === "owner" || reach === "all" ? null : staff.clinicIds;
}

/** What the grant lets this call see, at the request's instant: bound once to the call's repositories. */
function requestScope(ctx: Context, grant: Grant | null): RequestScope {
  return {
    now: ctx.now,
    // A call without a grant (signing in) reaches no clinic.
    clinics: grant
      ? grant.clinicIds === null
        ? ClinicScope.everyClinic
        : new ClinicScope(grant.clinicIds)
      : new ClinicScope([]),
    staffId: grant?.staffId ?? null,
    onlyDentistId: grant?.reach === "own" ? grant.staffId : null,
    cursorSecret: ctx.cursorSecret,
    clinicTimeZones: ctx.clinics.timeZones,
  };
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/**
 * Every procedure goes through the policy table and the audit trail; there is no unchecked builder. After the
 * policy's decision, the call gets its repositories (`ctx.db`) on its EntityManager: every mutation is one
 * transaction with its audit entries (unless it says `transaction: false`); reads are audited on success, on the
 * database their route names.
 */
export const procedure = t.procedure.use(errorMapping).use(async ({ ctx, path, type, meta, next }) => {
  // One middleware for the policy and the call's repositories: tRPC copies the whole context at each step that adds
  // to it, which showed in the server's profile.
  const { session, grant } = await grantFor(ctx, path);
  const request = requestScope(ctx, grant);
  const call = (em: Context["em"]) => next({ ctx: { session, grant, em, db: repositoriesFor(em, request) } });
  const trail = { em: ctx.em, audit: ctx.audit, auditWriter: ctx.auditWriter, session };
  // Reads go where the caller's route says (a replica, or the primary after their own write).
  if (type !== "mutation") {
    const read = () => withAuditTrail(trail, false, call);
    // Outside any route, the runner reads on the primary.
    return meta?.primary ? read() : onReadRoute(ctx, read);
  }
  const result = await withAuditTrail(trail, meta?.transaction !== false, call);
  if (result.ok) await rememberWrite(ctx);
  return result;
});
