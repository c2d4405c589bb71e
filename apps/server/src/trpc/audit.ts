// The audit trail in the API: `ctx.audit` for procedures to say what they did, and the middleware that
// writes it. Edits: the procedure's writes and its entries in one transaction. Reads: entries buffered after
// success (AuditWriter), and the read refused rather than served when the trail cannot keep up.
import {
  type AuditAction,
  AuditEntry,
  type AuditEntryInput,
  type AuditRepository,
  type AuditWriter,
} from "@chairside/db";
import { TRPCError } from "@trpc/server";
import type { Context } from "./context.ts";

/** What a procedure tells the trail; the time and client address come from the request. */
export interface AuditNote {
  action: AuditAction;
  patientId?: number | null;
  /** Default: the patient's clinic when a patient is named, else none. */
  clinicId?: number | null;
  /** Default: the signed-in staff member. */
  staffId?: number | null;
  /** For sign-ins: the email tried. */
  email?: string | null;
  /** Filters, names of changed fields, a status change... never a patient's data itself. */
  details?: Record<string, unknown>;
}

/** One request's view of the trail. */
export class AuditRecorder {
  readonly #writer: AuditWriter;
  readonly #clientAddress: string;
  readonly #at: Date;
  #staffId: number | null = null;
  #noted: AuditEntryInput[] = [];

  constructor(writer: AuditWriter, request: { clientAddress: string; now: Date }) {
    this.#writer = writer;
    this.#clientAddress = request.clientAddress;
    this.#at = request.now;
  }

  /** The staff member entries name by default: set by the middleware once the policy knows the caller. */
  actingFor(staffId: number | null): void {
    this.#staffId = staffId;
  }

  /** Recorded if the procedure succeeds: in its transaction (mutations) or buffered (queries). */
  note(entry: AuditNote): void {
    this.#noted.push(this.#entryOf(entry));
  }

  /** Buffered now, whatever happens next (a failed sign-in, which ends in an error). */
  record(entry: AuditNote): void {
    this.#writer.add([this.#entryOf(entry)]);
  }

  /** What the procedure noted, handed over once. */
  takeNoted(): AuditEntryInput[] {
    const noted = this.#noted;
    this.#noted = [];
    return noted;
  }

  #entryOf(entry: AuditNote): AuditEntryInput {
    return {
      at: this.#at,
      action: entry.action,
      staffId: entry.staffId === undefined ? this.#staffId : entry.staffId,
      email: entry.email ?? null,
      clinicId: entry.clinicId ?? null,
      patientId: entry.patientId ?? null,
      details: entry.details ?? {},
      clientAddress: this.#clientAddress,
    };
  }
}

export const AUDIT_UNAVAILABLE = "the audit trail cannot be written; try again shortly";

type Em = Context["em"];
/** The shape of a tRPC middleware result, as far as the trail needs it. */
type Outcome = { ok: true } | { ok: false; error: Error };

/**
 * Runs a procedure (`run`, on the EntityManager it is given) with its audit trail. A mutation runs in one
 * transaction with its entries (`inTransaction`): if the procedure fails, or its entries cannot be written,
 * nothing is kept. Repositories that open transactions of their own run nested in it (savepoints), so their own
 * rollbacks (a stale edit, a clash) still work as before. Everything else (reads, and a sign-in, which opens no
 * transaction) has its entries buffered on success.
 */
export async function withAuditTrail<R extends Outcome>(
  ctx: Pick<Context, "em" | "audit" | "auditWriter" | "session">,
  inTransaction: boolean,
  run: (em: Em) => Promise<R>,
): Promise<R> {
  ctx.audit.actingFor(ctx.session?.staff.id ?? null);
  if (inTransaction) {
    return ctx.em.transactional(async (tx) => {
      const result = await run(tx);
      if (!result.ok) throw result.error;
      await tx.getRepository<AuditEntry, AuditRepository>(AuditEntry).write(ctx.audit.takeNoted());
      return result;
    });
  }
  const result = await run(ctx.em);
  const noted = ctx.audit.takeNoted();
  if (result.ok && noted.length > 0) {
    // Not served unaudited: past its bound the backlog means the trail is not being written.
    if (!ctx.auditWriter.accepting) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: AUDIT_UNAVAILABLE });
    ctx.auditWriter.add(noted);
  }
  return result;
}
