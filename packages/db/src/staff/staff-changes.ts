// Hears of sign-outs, revoked sessions and changed staff members as PostgreSQL announces them (the staff_changed
// triggers NOTIFY at commit), so that every server instance drops what its session cache holds of that staff
// member at once. LISTEN needs a connection of its own that stays with one server session: a direct one, never
// through a transaction-mode pooler. When that connection is lost the session cache falls back to its expiry
// (SessionStore's CACHE_MS), the loss is logged, and the listener reconnects with backoff; on reconnecting it
// forgets the whole cache, since announcements made meanwhile were missed.
import pg from "pg";
import { defaultLog, type Log } from "../log.ts";

export const STAFF_CHANGED_CHANNEL = "staff_changed";

export interface StaffChangeListenerOptions {
  /** A direct connection to the primary (DATABASE_DIRECT_URL). */
  connectionString: string;
  /** A staff member (or one of their sessions) changed: forget them. */
  onStaffChanged(staffId: number): void;
  /** Announcements may have been missed (the connection was lost and is back): forget everyone. */
  onMissed(): void;
  /** How long a cached session lasts without announcements (named in the log line). */
  fallbackSeconds: number;
  /** One line per loss and recovery of the connection (default: standard output). */
  log?: Log;
  retryDelayMs?: { first: number; max: number };
}

const DEFAULT_RETRY = { first: 250, max: 10_000 };

export class StaffChangeListener {
  readonly #options: StaffChangeListenerOptions;
  readonly #log: Log;
  #client: pg.Client | undefined;
  #listening = false;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  /** Whether this listener lost its connection since it last listened (so the next LISTEN is a recovery). */
  #lost = false;

  constructor(options: StaffChangeListenerOptions) {
    this.#options = options;
    this.#log = options.log ?? defaultLog();
  }

  /** Whether changes are heard now (false: the session cache relies on its expiry alone). */
  get listening(): boolean {
    return this.#listening;
  }

  /** Connects and listens; resolves once listening or once the first attempt failed (it then keeps retrying). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#listening = false;
    await this.#client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({
      connectionString: this.#options.connectionString,
      connectionTimeoutMillis: 3_000,
      // A connection that died silently (a network cut) is noticed instead of listening to nothing forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: "chairside-staff-changes",
    });
    this.#client = client;
    let gone = false;
    const onGone = (error?: Error) => {
      if (gone) return;
      gone = true;
      client.end().catch(() => {});
      this.#lostConnection(error);
    };
    client.on("error", onGone);
    client.on("end", () => onGone());
    client.on("notification", (message) => {
      const staffId = Number(message.payload);
      if (message.channel === STAFF_CHANGED_CHANNEL && Number.isSafeInteger(staffId)) {
        this.#options.onStaffChanged(staffId);
      }
    });
    try {
      await client.connect();
      await client.query(`listen ${STAFF_CHANGED_CHANNEL}`);
    } catch (error) {
      onGone(error as Error);
      return;
    }
    if (this.#closed) return void client.end().catch(() => {});
    this.#listening = true;
    this.#failures = 0;
    if (this.#lost) {
      this.#lost = false;
      this.#options.onMissed();
      this.#log.warn("listening for sign-outs and staff changes again");
    }
  }

  #lostConnection(error: Error | undefined): void {
    if (this.#closed) return;
    const wasListening = this.#listening;
    this.#listening = false;
    this.#failures++;
    const { first, max } = this.#options.retryDelayMs ?? DEFAULT_RETRY;
    const delay = Math.min(max, first * 2 ** (this.#failures - 1));
    if (wasListening || !this.#lost) {
      this.#log.warn(
        { err: error, retryInMs: delay },
        `cannot listen for sign-outs and staff changes (${error?.message ?? "connection closed"}); cached sessions are re-checked after at most ${this.#options.fallbackSeconds} s until it is back`,
      );
    }
    this.#lost = true;
    this.#retry = setTimeout(() => void this.#connect(), delay);
    this.#retry.unref();
  }
}
