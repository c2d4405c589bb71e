import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/**
 * Failed sign-ins over a window, one counter per key (a client address, an account from an address, an account),
 * shared by every server instance so that N instances do not allow N times the guesses. Keys are SHA-256 hashes:
 * the table holds no email or address. Counted by the `sign_in_attempt()` function (see the migration).
 */
export const SignInFailureCount = defineEntity({
  name: "SignInFailureCount",
  tableName: "sign_in_failure_count",
  properties: {
    key: p.string().length(64).primary(),
    failures: p.integer(),
    /** When this window's first failure happened. */
    since: p.datetime(3),
  },
});

export type SignInFailureCount = InferEntity<typeof SignInFailureCount>;
