// Slows password guessing without letting anyone lock staff out. Failed sign-ins are counted per client
// address, per (account, address) and per account, whether or not the email has an account (so the limits
// reveal nothing). Past its limit an address is refused, and an address is refused for an account; an account
// that many addresses failed on is refused only to the addresses that failed on it, so the right password from
// anywhere else (the front desk) still signs in. In memory, per process: behind several instances the limits
// apply per instance. The state is one counter per key, so that it can move to a table as one upsert per attempt.

export interface ThrottleLimits {
  /** How long a key's failures count, from its first one. */
  windowMs: number;
  /** Failures from one address, over every account, before that address is refused. */
  perAddress: number;
  /** Failures on one account from one address before that address is refused for that account. */
  perAccountFromAddress: number;
  /** Failures on one account from anywhere before it is refused to every address that failed on it. */
  perAccount: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = {
  windowMs: 15 * 60_000,
  perAddress: 20,
  perAccountFromAddress: 5,
  perAccount: 10,
};
/** Keys kept at most: past it, expired ones go first, then the oldest. */
const MAX_TRACKED = 50_000;

interface FailureCount {
  failures: number;
  /** When the first failure of this window happened. */
  since: number;
}

export class LoginThrottle {
  readonly #limits: ThrottleLimits;
  /** Counters by key, in the order their windows started. */
  readonly #counts = new Map<string, FailureCount>();

  constructor(limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS) {
    this.#limits = limits;
  }

  /**
   * Called before the password is checked. Returns the seconds to wait when the attempt is refused; otherwise 0,
   * and the attempt already counts as a failure (so that concurrent guesses cannot slip past a limit) until
   * `succeeded` takes it back.
   */
  attempt(address: string, email: string, now = Date.now()): number {
    const keys = keysOf(address, email);
    const [fromAddress, onAccountFromAddress, onAccount] = keys.map((key) => this.#current(key, now));
    const { perAddress, perAccountFromAddress, perAccount, windowMs } = this.#limits;
    /** When each refusal that applies ends. */
    const refusals: number[] = [];
    if (atLimit(fromAddress, perAddress)) refusals.push(fromAddress.since + windowMs);
    if (atLimit(onAccountFromAddress, perAccountFromAddress)) refusals.push(onAccountFromAddress.since + windowMs);
    // An account under attack is refused to the addresses that took part, not to a clean one; either window
    // passing ends it.
    if (onAccountFromAddress && atLimit(onAccount, perAccount)) {
      refusals.push(Math.min(onAccount.since, onAccountFromAddress.since) + windowMs);
    }
    if (refusals.length > 0) return Math.ceil((Math.max(...refusals) - now) / 1000);
    for (const key of keys) this.#count(key, now, +1);
    return 0;
  }

  /** The password was right: this attempt is no failure, and the address owes the account nothing. */
  succeeded(address: string, email: string, now = Date.now()): void {
    const [fromAddress, onAccountFromAddress, onAccount] = keysOf(address, email);
    this.#count(fromAddress, now, -1);
    this.#counts.delete(onAccountFromAddress);
    this.#count(onAccount, now, -1);
  }

  /** The key's counter while its window lasts. */
  #current(key: string, now: number): FailureCount | undefined {
    const count = this.#counts.get(key);
    if (count && count.since + this.#limits.windowMs > now) return count;
    this.#counts.delete(key);
    return undefined;
  }

  #count(key: string, now: number, change: 1 | -1): void {
    const count = this.#current(key, now);
    if (count) {
      count.failures += change;
      if (count.failures <= 0) this.#counts.delete(key);
    } else if (change > 0) {
      this.#makeRoom(now);
      this.#counts.set(key, { failures: 1, since: now });
    }
  }

  /** Bounded memory under a flood of keys: expired counters go first, then the oldest. */
  #makeRoom(now: number): void {
    if (this.#counts.size < MAX_TRACKED) return;
    for (const [key, count] of this.#counts) {
      if (count.since + this.#limits.windowMs <= now) this.#counts.delete(key);
    }
    while (this.#counts.size >= MAX_TRACKED) this.#counts.delete(this.#counts.keys().next().value as string);
  }
}

function atLimit(count: FailureCount | undefined, limit: number): count is FailureCount {
  return count !== undefined && count.failures >= limit;
}

function keysOf(address: string, email: string): [string, string, string] {
  const account = email.trim().toLowerCase();
  return [`address:${address}`, `account-from-address:${account}|${address}`, `account:${account}`];
}
