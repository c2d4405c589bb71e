// The changed patients this server instance hears of (the patient_changed NOTIFY, ids only), as a feed that open
// lists follow. Each event has an id; a follower that comes back with the id it last saw gets what it missed from
// a bounded recent window, and beyond it (or from another instance, or after the listener missed announcements)
// one "missed" event, which tells it to fetch its lists again.
import { randomBytes } from "node:crypto";
import { EventEmitter, on } from "node:events";
import type { ChangeChannel } from "../postgres/change-listener.ts";

/** What the patient "changed" trigger NOTIFYs: the patient's id and clinic, nothing else. */
export const PATIENT_CHANGED_CHANNEL = "patient_changed";

/** How many events a reconnecting follower can catch up on. */
export const RECENT_CHANGES = 1_000;

export interface PatientChange {
  patientId: number;
  clinicId: number;
}

/** What a follower is told: a patient (of that clinic) changed; it may have missed changes; or it follows now. */
export type PatientChangeEvent = ({ kind: "changed" } & PatientChange) | { kind: "missed" } | { kind: "following" };

interface Recorded {
  seq: number;
  change: PatientChange | null;
}

export interface FollowOptions {
  /** The id of the last event the follower saw, if it is coming back. */
  lastEventId?: string | null | undefined;
  signal?: AbortSignal | undefined;
}

function parseChange(payload: string): PatientChange | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== "object" || value === null) return null;
    const { patientId, clinicId } = value as Record<string, unknown>;
    return Number.isSafeInteger(patientId) && Number.isSafeInteger(clinicId)
      ? { patientId: patientId as number, clinicId: clinicId as number }
      : null;
  } catch {
    return null;
  }
}

const eventFor = ({ change }: Recorded): PatientChangeEvent =>
  change ? { kind: "changed", ...change } : { kind: "missed" };

export class PatientChangeFeed {
  /** Names this instance's run of events: an id from another instance, or an earlier run, is not ours to replay. */
  readonly #run = randomBytes(6).toString("base64url");
  readonly #window: number;
  #seq = 0;
  #recent: Recorded[] = [];
  readonly #events = new EventEmitter().setMaxListeners(0);

  constructor(window = RECENT_CHANGES) {
    this.#window = window;
  }

  /** What the ChangeListener feeds this with. */
  readonly channel: ChangeChannel = {
    name: PATIENT_CHANGED_CHANNEL,
    onNotice: (payload) => {
      const change = parseChange(payload);
      if (change) this.#record(change);
    },
    onMissed: () => this.#record(null),
  };

  /** The id of the newest event (what a follower that starts now has seen). */
  get position(): string {
    return this.#idOf(this.#seq);
  }

  /**
   * The events for a follower, each with its id: first a "following" (or, for one coming back, what it missed, or
   * "missed" when that is out of reach), then each change as it is heard, until `signal` aborts.
   */
  async *follow(options: FollowOptions): AsyncGenerator<{ id: string; event: PatientChangeEvent }> {
    // Listening before the replay is read, so that nothing falls between the two.
    const live = on(this.#events, "recorded", options.signal ? { signal: options.signal } : {});
    let seen = this.#seq;
    const since = this.#sinceOf(options.lastEventId);
    if (since === null) {
      yield { id: this.#idOf(seen), event: options.lastEventId ? { kind: "missed" } : { kind: "following" } };
    } else {
      for (const recorded of this.#recent) {
        if (recorded.seq <= since || recorded.seq > seen) continue;
        yield { id: this.#idOf(recorded.seq), event: eventFor(recorded) };
      }
    }
    try {
      for await (const [recorded] of live as AsyncIterableIterator<[Recorded]>) {
        if (recorded.seq <= seen) continue;
        seen = recorded.seq;
        yield { id: this.#idOf(recorded.seq), event: eventFor(recorded) };
      }
    } catch (error) {
      if (!options.signal?.aborted) throw error;
    }
  }

  #record(change: PatientChange | null): void {
    const recorded = { seq: ++this.#seq, change };
    this.#recent.push(recorded);
    if (this.#recent.length > this.#window * 2) this.#recent = this.#recent.slice(-this.#window);
    this.#events.emit("recorded", recorded);
  }

  #idOf(seq: number): string {
    return `${this.#run}.${seq}`;
  }

  /** The sequence number after which a returning follower's replay starts; null when it cannot be replayed. */
  #sinceOf(lastEventId: string | null | undefined): number | null {
    if (!lastEventId) return null;
    const [run, seqText] = lastEventId.split(".");
    const seq = Number(seqText);
    if (run !== this.#run || !Number.isSafeInteger(seq) || seq > this.#seq) return null;
    const firstKept = this.#recent[0]?.seq ?? this.#seq + 1;
    return seq + 1 >= firstKept ? seq : null;
  }
}
