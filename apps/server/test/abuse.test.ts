import { LoginThrottle, type ThrottleLimits } from "@chairside/db";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
let url: string;
beforeAll(async () => {
  api = await createTestApi({ patients: 20 });
  url = await api.listen();
});
afterAll(() => api.close());

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: { email, password } }),
  });

/** These limits, over counts that start afresh (they live in the database, not in the throttle). */
async function throttleWith(limits?: ThrottleLimits): Promise<LoginThrottle> {
  await api.db.sql("delete from sign_in_failure_count");
  return new LoginThrottle(api.orm, limits);
}

describe("sign-in throttling", () => {
  it("refuses an account to an address after repeated failures from it, even with the right password, saying when to retry", async () => {
    api.services.loginThrottle = await throttleWith({
      windowMs: 60_000,
      perAddress: 100,
      perAccountFromAddress: 3,
      perAccount: 100,
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await login(ACCOUNTS.receptionist, "guess")).status).toBe(401);
    }
    const refused = await login(ACCOUNTS.receptionist, DEMO_PASSWORD);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { json: { message: string; data: { details: unknown } } } };
    expect(body.error.json.message).toMatch(/^too many sign-in attempts; try again in \d+ s$/);
    expect(body.error.json.data.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    // Another account from the same address is not affected.
    expect((await login(ACCOUNTS.owner, DEMO_PASSWORD)).status).toBe(200);
  });

  it("limits an address across accounts, and treats unknown emails exactly like known ones", async () => {
    api.services.loginThrottle = await throttleWith({
      windowMs: 60_000,
      perAddress: 4,
      perAccountFromAddress: 100,
      perAccount: 100,
    });
    for (const email of ["a@x.test", "b@x.test", ACCOUNTS.dentist, "c@x.test"]) {
      expect((await login(email, "guess")).status).toBe(401);
    }
    expect((await login(ACCOUNTS.owner, DEMO_PASSWORD)).status).toBe(429);
    expect((await login("unknown@x.test", "guess")).status).toBe(429);
  });

  it("forgets failures once the window has passed", async () => {
    const throttle = await throttleWith({ windowMs: 1_000, perAddress: 2, perAccountFromAddress: 2, perAccount: 2 });
    expect(await throttle.attempt("1.2.3.4", "a@x.test", 0)).toBe(0);
    expect(await throttle.attempt("1.2.3.4", "a@x.test", 10)).toBe(0);
    expect(await throttle.attempt("1.2.3.4", "A@X.test", 500)).toBe(1);
    expect(await throttle.attempt("1.2.3.4", "a@x.test", 1_011)).toBe(0);
  });

  it("reaches createCaller callers too", async () => {
    api.services.loginThrottle = await throttleWith({
      windowMs: 60_000,
      perAddress: 100,
      perAccountFromAddress: 1,
      perAccount: 100,
    });
    await expect(api.anonymous.auth.login({ email: "x@x.test", password: "nope" })).rejects.toThrow(TRPCError);
    const error = await api.anonymous.auth.login({ email: "x@x.test", password: "nope" }).catch((e: TRPCError) => e);
    expect((error as TRPCError).code).toBe("TOO_MANY_REQUESTS");
  });
});

describe("HTTP hardening", () => {
  it("sends security headers", async () => {
    const response = await fetch(`${url}/health`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(response.headers.get("strict-transport-security")).toBeTruthy();
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("allows only listed origins to call the API from a browser", async () => {
    const app = await buildApp({ services: api.services, webRoot: null, corsOrigins: ["https://recall.example.test"] });
    try {
      const preflight = (origin: string) =>
        app.inject({
          method: "OPTIONS",
          url: "/trpc/patients.list",
          headers: {
            origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
          },
        });
      expect((await preflight("https://recall.example.test")).headers["access-control-allow-origin"]).toBe(
        "https://recall.example.test",
      );
      expect((await preflight("https://evil.example.test")).headers["access-control-allow-origin"]).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it("refuses a cookie-authenticated write from another site", async () => {
    api.services.loginThrottle = await throttleWith();
    const signedIn = await login(ACCOUNTS.owner, DEMO_PASSWORD);
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const logout = (headers: Record<string, string>) =>
      fetch(`${url}/trpc/auth.logout`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: "{}",
      });
    expect((await logout({ origin: "https://evil.example.test" })).status).toBe(403);
    expect((await logout({ origin: "null" })).status).toBe(403);
    expect((await logout({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    // The session survived those attempts, and the SPA's own request goes through.
    const me = await fetch(`${url}/trpc/auth.me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await logout({ origin: url, "sec-fetch-site": "same-origin" })).status).toBe(200);
  });

  it("refuses an oversized body with 413, not a 500", async () => {
    const response = await fetch(`${url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: "a@x.test", password: "x".repeat(200_000) } }),
    });
    expect(response.status).toBe(413);
  });
});
