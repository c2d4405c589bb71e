// Failed sign-ins slow guessing without becoming a way to keep staff out: real HTTP from several loopback
// addresses (127.0.0.0/8 is all loopback on Linux), so the server sees each as its own client.
import { request } from "node:http";
import { LoginThrottle, type ThrottleLimits } from "@chairside/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
let url: URL;
beforeAll(async () => {
  api = await createTestApi({ patients: 10 });
  url = new URL(await api.listen());
});
afterAll(() => api.close());

/** A sign-in from `address`; resolves to its HTTP status. */
function signInFrom(address: string, email: string, password: string): Promise<number> {
  const body = JSON.stringify({ json: { email, password } });
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: url.hostname,
        port: url.port,
        path: "/trpc/auth.login",
        method: "POST",
        localAddress: address,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    sent.on("error", reject);
    sent.end(body);
  });
}

const FRONT_DESK = "127.0.0.1";
/** Fresh counts (they live in the database) and these limits. */
const limits = async (overrides: Partial<ThrottleLimits>) => {
  await api.db.sql("delete from sign_in_failure_count");
  api.services.loginThrottle = new LoginThrottle(api.orm, {
    windowMs: 60_000,
    perAddress: 100,
    perAccountFromAddress: 3,
    perAccount: 5,
    ...overrides,
  });
};

describe("failed sign-ins from elsewhere", () => {
  it("do not keep the front desk out: its right password still signs in", async () => {
    await limits({});
    const seen: number[] = [];
    for (const attacker of ["127.0.0.2", "127.0.0.3", "127.0.0.4"]) {
      for (let attempt = 0; attempt < 4; attempt++)
        seen.push(await signInFrom(attacker, ACCOUNTS.receptionist, "guess"));
    }
    // Three guesses from the first address, two from the second (the account is then under attack), one from
    // the third; every other attempt refused.
    expect(seen).toEqual([401, 401, 401, 429, 401, 401, 429, 429, 401, 429, 429, 429]);
    expect(await signInFrom(FRONT_DESK, ACCOUNTS.receptionist, DEMO_PASSWORD)).toBe(200);
  });

  it("refuse the account, right password included, to every address that failed on it once it is under attack", async () => {
    await limits({});
    for (const attacker of ["127.0.0.5", "127.0.0.6"]) {
      expect(await signInFrom(attacker, ACCOUNTS.dentist, "guess")).toBe(401);
      expect(await signInFrom(attacker, ACCOUNTS.dentist, "guess")).toBe(401);
    }
    // Four failures: not yet under attack, so an address that failed may still try.
    expect(await signInFrom("127.0.0.5", ACCOUNTS.dentist, "guess")).toBe(401);
    // Five: every address that failed on it is refused, whatever it sends; a clean one gets its attempts.
    expect(await signInFrom("127.0.0.5", ACCOUNTS.dentist, DEMO_PASSWORD)).toBe(429);
    expect(await signInFrom("127.0.0.6", ACCOUNTS.dentist, DEMO_PASSWORD)).toBe(429);
    expect(await signInFrom("127.0.0.7", ACCOUNTS.dentist, "guess")).toBe(401);
    expect(await signInFrom("127.0.0.7", ACCOUNTS.dentist, DEMO_PASSWORD)).toBe(429);
    expect(await signInFrom(FRONT_DESK, ACCOUNTS.dentist, DEMO_PASSWORD)).toBe(200);
  });

  it("limit one address on one account, and one address over every account", async () => {
    await limits({ perAddress: 5 });
    const guesser = "127.0.0.8";
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await signInFrom(guesser, ACCOUNTS.owner, "guess")).toBe(401);
    }
    expect(await signInFrom(guesser, ACCOUNTS.owner, DEMO_PASSWORD)).toBe(429);
    expect(await signInFrom(guesser, "someone@x.test", "guess")).toBe(401);
    expect(await signInFrom(guesser, "someone.else@x.test", "guess")).toBe(401);
    expect(await signInFrom(guesser, ACCOUNTS.receptionist, DEMO_PASSWORD)).toBe(429);
    // The owner's own desk is not concerned by any of it.
    expect(await signInFrom(FRONT_DESK, ACCOUNTS.owner, DEMO_PASSWORD)).toBe(200);
  });

  it("treat an email without an account exactly like one with", async () => {
    const statuses = async (email: string, addresses: string[]) => {
      await limits({});
      const seen: number[] = [];
      for (const address of addresses) {
        for (let attempt = 0; attempt < 3; attempt++) seen.push(await signInFrom(address, email, "guess"));
      }
      return seen;
    };
    const known = await statuses(ACCOUNTS.owner, ["127.0.0.9", "127.0.0.10", "127.0.0.9"]);
    const unknown = await statuses("nobody@chairside.test", ["127.0.0.9", "127.0.0.10", "127.0.0.9"]);
    expect(unknown).toEqual(known);
    expect(known).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429]);
  });

  it("count an attempt before its password is checked, so that simultaneous guesses cannot exceed the limit", async () => {
    await limits({ perAccountFromAddress: 5, perAccount: 100 });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => signInFrom("127.0.0.11", ACCOUNTS.receptionist, "guess")),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
  });
});
