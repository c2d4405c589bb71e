// Slows password guessing without letting anyone lock staff out. Failed sign-ins are counted per client
// address, per (account, address) and per account, whether or not the email has an account (so the limits
// reveal nothing). Past its limit an address is refused, and an address is refused for an account; an account
// that many addresses failed on is refused only to the addresses that failed on it, so the right password from
// anywhere else (the front desk) still signs in. The counts live in PostgreSQL (sign_in_failure_count), one
// atomic statement per attempt, so that every server instance applies the same limits. Each statement commits on
// its own: a sign-in opens no transaction around its work (see auth.login), so a failed one keeps its count.
import { createHash } from "node:crypto";
import type { ChairsideOrm } from "../orm.ts";
import { firstRowOf, run, sqlFor } from "../postgres/sql.ts";

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

/** How often lapsed counters are deleted, so that a flood of keys does not grow the table for good. */
const SWEEP_EVERY_MS = 5 * 60_000;

export class LoginThrottle {
  readonly #orm: ChairsideOrm;
  readonly #limits: ThrottleLimits;
  #lastSweep = Date.now();

  constructor(orm: ChairsideOrm, limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS) {
    this.#orm = orm;
    this.#limits = limits;
  }

  /**
   * Called before the password is checked. Returns the seconds to wait when the attempt is refused; otherwise 0,
   * and the attempt already counts as a failure (so that concurrent guesses cannot slip past a limit) until
   * `succeeded` takes it back. One statement (the `sign_in_attempt` function) on the primary, committed at once.
   */
  async attempt(address: string, email: string, now = Date.now()): Promise<number> {
    const [fromAddress, onAccountFromAddress, onAccount] = keysOf(address, email);
    const { windowMs, perAddress, perAccountFromAddress, perAccount } = this.#limits;
    const em = this.#orm.em.fork();
    const row = await firstRowOf(
      em,
      sqlFor(em).selectNoFrom((eb) =>
        eb
          .fn<number>("sign_in_attempt", [
            eb.val(fromAddress),
            eb.val(onAccountFromAddress),
            eb.val(onAccount),
            eb.val(new Date(now)),
            eb.val(windowMs),
            eb.val(perAddress),
            eb.val(perAccountFromAddress),
            eb.val(perAccount),
          ])
          .as("wait"),
      ),
    );
    if (now - this.#lastSweep > SWEEP_EVERY_MS) this.#sweep(now);
    return Number(row?.wait ?? 0);
  }

  /** The password was right: this attempt is no failure, and the address owes the account nothing. */
  async succeeded(address: string, email: string): Promise<void> {
    const keys = keysOf(address, email);
    const em = this.#orm.em.fork();
    await run(
      em,
      sqlFor(em)
        .updateTable("sign_in_failure_count")
        .set((eb) => ({
          failures: eb
            .case()
            .when("key", "=", keys[1])
            .then(0)
            .else(eb.fn<number>("greatest", [eb("failures", "-", 1), eb.lit(0)]))
            .end(),
        }))
        .where("key", "in", keys),
    );
  }

  /** Deletes counters whose window has passed (each instance now and then; any of them may). */
  #sweep(now: number): void {
    this.#lastSweep = now;
    const em = this.#orm.em.fork();
    const lapsed = new Date(now - this.#limits.windowMs);
    run(em, sqlFor(em).deleteFrom("sign_in_failure_count").where("since", "<", lapsed)).catch(() => {});
  }
}

/** The three counters an attempt concerns, as hashes: the table holds no email or address. */
function keysOf(address: string, email: string): [string, string, string] {
  const account = email.trim().toLowerCase();
  const hash = (key: string) => createHash("sha256").update(key).digest("hex");
  return [hash(`address:${address}`), hash(`account-from-address:${account}|${address}`), hash(`account:${account}`)];
}
