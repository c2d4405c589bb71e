// Slows password guessing: failed sign-ins are counted per client address and per email (whether or not
// the email has an account, so the limit reveals nothing), and past a limit every attempt, right or wrong,
// is refused until the window has passed. In memory, per process: behind several instances the limits
// apply per instance.

export interface ThrottleLimits {
  windowMs: number;
  perAddress: number;
  perAccount: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = { windowMs: 15 * 60_000, perAddress: 20, perAccount: 5 };
const MAX_TRACKED = 50_000;

export class LoginThrottle {
  readonly #limits: ThrottleLimits;
  /** Failure times by key, oldest first. */
  readonly #failures = new Map<string, number[]>();

  constructor(limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS) {
    this.#limits = limits;
  }

  #keys(address: string, email: string): [string, number][] {
    return [
      [`address:${address}`, this.#limits.perAddress],
      [`account:${email.trim().toLowerCase()}`, this.#limits.perAccount],
    ];
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#failures.get(key) ?? []).filter((time) => time > now - this.#limits.windowMs);
    if (times.length) this.#failures.set(key, times);
    else this.#failures.delete(key);
    return times;
  }

  /** Seconds until another attempt may be made, or 0 when it may be made now. */
  retryAfterSeconds(address: string, email: string, now = Date.now()): number {
    let waitMs = 0;
    for (const [key, limit] of this.#keys(address, email)) {
      const times = this.#recent(key, now);
      if (times.length >= limit)
        waitMs = Math.max(waitMs, (times[times.length - limit] as number) + this.#limits.windowMs - now);
    }
    return Math.ceil(waitMs / 1000);
  }

  failed(address: string, email: string, now = Date.now()): void {
    if (this.#failures.size > MAX_TRACKED) this.#failures.clear(); // bounded memory under a flood of keys
    for (const [key] of this.#keys(address, email)) this.#failures.set(key, [...this.#recent(key, now), now]);
  }

  /** A successful sign-in clears the account's count (not the address's: one good password elsewhere proves little). */
  succeeded(email: string): void {
    this.#failures.delete(`account:${email.trim().toLowerCase()}`);
  }
}
