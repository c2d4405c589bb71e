// The audit trail's buffer for entries written after their request (reads, sign-ins): kept in memory and
// written in batches, one multi-row INSERT each, through a small pool of its own. A read therefore costs no
// statement of its own and never writes inside its own transaction. An entry is never silently dropped:
// a failed write keeps every entry and retries with backoff; past `maxBacklog` waiting entries `accepting`
// turns false and the server refuses reads instead of serving them unaudited; `close()` writes what is left
// and says how many it could not.
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { defaultLog, type Log } from "../log.ts";
import type { ChairsideOrm } from "../orm.ts";
import { sidePoolSettings } from "../postgres/pool-mode.ts";
import type { ChairsideTables } from "../postgres/sql.ts";
import { type AuditEntryInput, storableEntry } from "./entry.ts";

export interface AuditWriterOptions {
  connectionString: string;
  /** pg settings of its connections beyond the URL (a statement timeout where the connection is a session). */
  connectionSettings?: { statement_timeout?: number };
  /** How long an entry may wait for company before its batch is written. */
  flushIntervalMs?: number;
  /** Entries per INSERT; a batch this full is written at once. */
  batchSize?: number;
  /** Waiting entries beyond which `accepting` is false (reads are refused until the backlog drains). */
  maxBacklog?: number;
  /** Backoff after a failed write: doubles from the first delay up to the last. */
  retryDelayMs?: { first: number; max: number };
  /** Told of every failed write (its entries stay and are retried) and of every entry the database refuses;
   *  by default each is one line in `log`. */
  onProblem?: (problem: AuditWriterProblem) => void;
  /** Where problems are logged when `onProblem` is not given (default: standard output). */
  log?: Log;
}

export type AuditWriterProblem =
  | { kind: "write-failed"; error: unknown; backlog: number; retryInMs: number }
  | { kind: "entry-refused"; error: unknown; entry: AuditEntryInput };

export interface AuditWriterReport {
  /** Entries written since the writer started. */
  written: number;
  /** Entries still waiting: at close, the ones that could not be written. */
  unwritten: number;
  /** Entries the database refused outright (see `isRefusal`), each reported through `onProblem`. */
  refused: number;
}

/** A batch's entries as unnest() hands them to the INSERT. */
interface BatchRow {
  at: Date;
  staff_id: number | null;
  email: string | null;
  clinic_id: number | null;
  patient_id: number | null;
  action: AuditEntryInput["action"];
  details: Record<string, unknown>;
  client_address: string;
  n: number;
}

export const AUDIT_WRITER_DEFAULTS = {
  flushIntervalMs: 250,
  batchSize: 500,
  maxBacklog: 50_000,
  retryDelayMs: { first: 250, max: 10_000 },
} as const;

/**
 * The database refusing this data (a data exception or an integrity violation, e.g. a patient that no longer
 * exists), as opposed to not answering: retrying would fail forever and hold back every entry behind it.
 */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^2[23]/.test(code);
}

/** One structured line per problem; a refused entry is logged whole, since it is written nowhere else. */
const logProblemsTo = (log: Log) => (problem: AuditWriterProblem) => {
  if (problem.kind === "write-failed") {
    const { error, backlog, retryInMs } = problem;
    log.error(
      { err: error, backlog, retryInMs },
      "the audit trail cannot be written; its entries wait and are retried",
    );
  } else {
    log.error({ err: problem.error, entry: problem.entry }, "the database refused an audit entry; it is skipped");
  }
};

export class AuditWriter {
  readonly #pool: pg.Pool;
  readonly #db: Kysely<ChairsideTables>;
  readonly #flushIntervalMs: number;
  readonly #batchSize: number;
  readonly #maxBacklog: number;
  readonly #retryDelayMs: { first: number; max: number };
  readonly #onProblem: (problem: AuditWriterProblem) => void;
  #pending: AuditEntryInput[] = [];
  #timer: NodeJS.Timeout | undefined;
  #timerDue = 0;
  /** Writes run one at a time, in order: each flush waits for the one before. */
  #queue: Promise<void> = Promise.resolve();
  #failures = 0;
  #written = 0;
  #refused = 0;
  #closed = false;

  constructor(options: AuditWriterOptions) {
    this.#flushIntervalMs = options.flushIntervalMs ?? AUDIT_WRITER_DEFAULTS.flushIntervalMs;
    this.#batchSize = options.batchSize ?? AUDIT_WRITER_DEFAULTS.batchSize;
    this.#maxBacklog = options.maxBacklog ?? AUDIT_WRITER_DEFAULTS.maxBacklog;
    this.#retryDelayMs = options.retryDelayMs ?? AUDIT_WRITER_DEFAULTS.retryDelayMs;
    this.#onProblem = options.onProblem ?? logProblemsTo(options.log ?? defaultLog());
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 2,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      ...(options.connectionSettings ?? { statement_timeout: 15_000 }),
    });
    // An idle connection the server dropped (a restart, say): the next write simply connects again.
    this.#pool.on("error", () => {});
    this.#db = new Kysely<ChairsideTables>({ dialect: new PostgresDialect({ pool: this.#pool }) });
  }

  /** A writer to the database `orm` works on. */
  static forOrm(orm: ChairsideOrm, options: Omit<AuditWriterOptions, "connectionString"> = {}): AuditWriter {
    const connectionString = orm.config.get("clientUrl");
    if (!connectionString) throw new Error("the audit trail needs the ORM's clientUrl");
    return new AuditWriter({ ...options, connectionString, connectionSettings: sidePoolSettings(orm, 15_000) });
  }

  /** Entries waiting to be written. */
  get backlog(): number {
    return this.#pending.length;
  }

  /** false once the backlog has reached its bound (or the writer is closed): refuse reads, do not serve them unaudited. */
  get accepting(): boolean {
    return !this.#closed && this.#pending.length < this.#maxBacklog;
  }

  get report(): AuditWriterReport {
    return { written: this.#written, unwritten: this.#pending.length, refused: this.#refused };
  }

  /** Buffers entries; they are written within `flushIntervalMs` (at once when a batch is full). */
  add(entries: readonly AuditEntryInput[]): void {
    if (this.#closed) throw new Error("the audit trail is closed: no entry can be added");
    if (entries.length === 0) return;
    for (const entry of entries) this.#pending.push(storableEntry(entry));
    this.#schedule();
  }

  /** Writes every entry waiting now. Rejects when the database cannot take them; they stay and are retried. */
  flush(): Promise<void> {
    const run = this.#queue.then(() => this.#writePending());
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Stops taking entries and writes what is left, retrying with backoff for up to `timeoutMs`. Resolves (never
   * rejects) with what became of every entry; `unwritten` > 0 means entries are lost and must be reported.
   */
  async close({ timeoutMs = 5_000 }: { timeoutMs?: number } = {}): Promise<AuditWriterReport> {
    if (!this.#closed) {
      this.#closed = true;
      this.#clearTimer();
      const deadline = Date.now() + timeoutMs;
      while (this.#pending.length > 0) {
        try {
          await this.flush();
        } catch {
          const wait = this.#retryDelay();
          if (Date.now() + wait >= deadline) break;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
      await this.#queue;
      await this.#db.destroy(); // ends the pool
    }
    return this.report;
  }

  async #writePending(): Promise<void> {
    this.#clearTimer();
    // Only what waits now: entries that arrive during the write wait for company on their own timer, or under
    // load every write would be followed at once by another of the few that came in meanwhile.
    let waiting = this.#pending.length;
    try {
      while (waiting > 0) {
        const batch = this.#pending.slice(0, Math.min(this.#batchSize, waiting));
        try {
          await this.#insert(batch);
          this.#pending.splice(0, batch.length);
          this.#written += batch.length;
        } catch (error) {
          if (!isRefusal(error)) throw error;
          await this.#writeOneByOne(batch);
        }
        waiting -= batch.length;
      }
      this.#failures = 0;
    } catch (error) {
      this.#failures++;
      this.#onProblem({ kind: "write-failed", error, backlog: this.#pending.length, retryInMs: this.#retryDelay() });
      throw error;
    } finally {
      // A timer armed during a successful write stays: its entries' interval started when they came.
      if (this.#failures > 0) this.#clearTimer();
      this.#schedule();
    }
  }

  /** Isolates the entries the database refuses, so that they do not hold back the rest of their batch. */
  async #writeOneByOne(batch: AuditEntryInput[]): Promise<void> {
    for (const entry of batch) {
      try {
        await this.#insert([entry]);
        this.#written++;
      } catch (error) {
        if (!isRefusal(error)) throw error;
        this.#refused++;
        this.#onProblem({ kind: "entry-refused", error, entry });
      }
      // `entry` is the oldest waiting one: only this loop takes entries off the front.
      this.#pending.shift();
    }
  }

  /**
   * One statement for a whole batch, whatever its size: the entries go in as one array per column (so the
   * statement's text and its eight parameters are the same for every batch); an entry without a clinic gets its
   * patient's. `unnest(...) with ordinality as e(...)` is a FROM item the builder has no words for.
   */
  async #insert(batch: readonly AuditEntryInput[]): Promise<void> {
    const db = this.#db;
    const column = <T>(pick: (entry: AuditEntryInput) => T) => batch.map(pick);
    const entries = sql<BatchRow>`unnest(
        ${column((entry) => entry.at.toISOString())}::timestamptz[], ${column((entry) => entry.staffId)}::int[],
        ${column((entry) => entry.email)}::text[], ${column((entry) => entry.clinicId)}::int[],
        ${column((entry) => entry.patientId)}::int[], ${column((entry) => entry.action)}::text[],
        ${column((entry) => JSON.stringify(entry.details))}::jsonb[], ${column((entry) => entry.clientAddress)}::text[]
      ) with ordinality`.as<"e">(
      sql`e(at, staff_id, email, clinic_id, patient_id, action, details, client_address, n)`,
    );
    await db
      .insertInto("audit_entry")
      .columns(["at", "staff_id", "email", "clinic_id", "patient_id", "action", "details", "client_address"])
      .expression(
        db
          .selectFrom(entries)
          .leftJoin("patient as p", "p.id", "e.patient_id")
          .select((eb) => [
            "e.at",
            "e.staff_id",
            "e.email",
            eb.fn.coalesce("e.clinic_id", "p.clinic_id").as("clinic_id"),
            "e.patient_id",
            "e.action",
            "e.details",
            "e.client_address",
          ])
          .orderBy("e.n"),
      )
      .execute();
  }

  #retryDelay(): number {
    const { first, max } = this.#retryDelayMs;
    return Math.min(max, first * 2 ** Math.max(0, this.#failures - 1));
  }

  /** Arms the timer for the next write: soon, at once for a full batch, or after the backoff while failing. */
  #schedule(): void {
    if (this.#closed || this.#pending.length === 0) return;
    const delay =
      this.#failures > 0 ? this.#retryDelay() : this.#pending.length >= this.#batchSize ? 0 : this.#flushIntervalMs;
    const due = Date.now() + delay;
    if (this.#timer && this.#timerDue <= due) return;
    this.#clearTimer();
    this.#timerDue = due;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A failure is reported through onProblem and retried from #writePending's own schedule.
      this.flush().catch(() => {});
    }, delay);
    this.#timer.unref();
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
