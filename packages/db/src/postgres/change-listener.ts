// Hears what PostgreSQL announces at commit (NOTIFY from triggers: staff_changed for the session cache,
// patient_changed for open patient lists), one connection per server instance for every channel. LISTEN needs a
// connection of its own that stays with one server session: a direct one, never through a transaction-mode
// pooler. When that connection is lost the loss is logged and the listener reconnects with backoff; on
// reconnecting every channel is told that announcements made meanwhile were missed.
import pg from "pg";
import { defaultLog, type Log } from "../log.ts";

/** One channel's listener: what each announcement says, and what to do when some may have been missed. */
export interface ChangeChannel {
  name: string;
  onNotice(payload: string): void;
  onMissed(): void;
}

export interface ChangeListenerOptions {
  /** A direct connection to the primary (DATABASE_DIRECT_URL). */
  connectionString: string;
  channels: readonly ChangeChannel[];
  /** What still holds while nothing is heard (named in the log line). */
  meanwhile: string;
  /** One line per loss and recovery of the connection (default: standard output). */
  log?: Log;
  retryDelayMs?: { first: number; max: number };
}

const DEFAULT_RETRY = { first: 250, max: 10_000 };
const SAFE_NAME = /^[a-z_][a-z0-9_]*$/;

export class ChangeListener {
  readonly #options: ChangeListenerOptions;
  readonly #channels: Map<string, ChangeChannel>;
  readonly #log: Log;
  #client: pg.Client | undefined;
  #listening = false;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  /** Whether this listener lost its connection since it last listened (so the next LISTEN is a recovery). */
  #lost = false;

  constructor(options: ChangeListenerOptions) {
    for (const channel of options.channels) {
      if (!SAFE_NAME.test(channel.name)) throw new Error(`not a channel name: ${channel.name}`);
    }
    this.#options = options;
    this.#channels = new Map(options.channels.map((channel) => [channel.name, channel]));
    this.#log = options.log ?? defaultLog();
  }

  /** Whether changes are heard now. */
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
      application_name: "chairside-changes",
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
      this.#channels.get(message.channel)?.onNotice(message.payload ?? "");
    });
    try {
      await client.connect();
      // Channel names are checked identifiers (SAFE_NAME): LISTEN takes no bound parameter.
      for (const name of this.#channels.keys()) await client.query(`listen ${name}`);
    } catch (error) {
      onGone(error as Error);
      return;
    }
    if (this.#closed) return void client.end().catch(() => {});
    this.#listening = true;
    this.#failures = 0;
    if (this.#lost) {
      this.#lost = false;
      for (const channel of this.#channels.values()) channel.onMissed();
      this.#log.warn(`listening for ${this.#topics()} again`);
    }
  }

  #topics(): string {
    return [...this.#channels.keys()].join(", ");
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
        `cannot listen for ${this.#topics()} (${error?.message ?? "connection closed"}); ${this.#options.meanwhile} until it is back`,
      );
    }
    this.#lost = true;
    this.#retry = setTimeout(() => void this.#connect(), delay);
    this.#retry.unref();
  }
}
