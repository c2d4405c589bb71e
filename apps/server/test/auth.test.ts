import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ patients: 10 });
});
afterAll(() => api.close());

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: unknown) => (error instanceof TRPCError ? error.code : "not a TRPCError"),
  );

describe("signing in", () => {
  it("returns the staff member and, for services that ask, a bearer token", async () => {
    const signedIn = await api.anonymous.auth.login({
      email: "Owner@Chairside.TEST",
      password: DEMO_PASSWORD,
      issueToken: true,
    });
    expect(signedIn.staff).toMatchObject({ email: ACCOUNTS.owner, role: "owner", clinicIds: [1, 2, 3] });
    expect(signedIn.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(signedIn.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const me = await api.withToken(signedIn.token).auth.me();
    expect(me.staff.email).toBe(ACCOUNTS.owner);
  });

  it("gives the SPA no token in the body (it gets an HttpOnly cookie)", async () => {
    const signedIn = await api.anonymous.auth.login({ email: ACCOUNTS.receptionist, password: DEMO_PASSWORD });
    expect(signedIn.token).toBeNull();
  });

  it("says the same thing for an unknown email and a wrong password", async () => {
    const wrongPassword = api.anonymous.auth.login({ email: ACCOUNTS.owner, password: "nope" });
    const unknownEmail = api.anonymous.auth.login({ email: "nobody@chairside.test", password: "nope" });
    const [a, b] = await Promise.all([
      wrongPassword.catch((e: TRPCError) => e),
      unknownEmail.catch((e: TRPCError) => e),
    ]);
    expect(a).toBeInstanceOf(TRPCError);
    expect([(a as TRPCError).code, (a as TRPCError).message]).toEqual([
      (b as TRPCError).code,
      (b as TRPCError).message,
    ]);
    expect((a as TRPCError).code).toBe("UNAUTHORIZED");
  });

  it("stores only a hash of the token", async () => {
    const { token } = await api.anonymous.auth.login({
      email: ACCOUNTS.dentist,
      password: DEMO_PASSWORD,
      issueToken: true,
    });
    const rows = await api.db.sql<{ token_hash: string }>("select token_hash from staff_session");
    expect(rows.some((row) => row.token_hash === token)).toBe(false);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });
});

describe("sessions", () => {
  it("end at logout", async () => {
    const { token } = await api.anonymous.auth.login({
      email: ACCOUNTS.owner,
      password: DEMO_PASSWORD,
      issueToken: true,
    });
    const caller = api.withToken(token);
    expect(await codeOf(caller.patients.list({}))).toBe("OK");
    await caller.auth.logout();
    expect(await codeOf(caller.patients.list({}))).toBe("UNAUTHORIZED");
  });

  it("expire", async () => {
    const { token } = await api.anonymous.auth.login({
      email: ACCOUNTS.owner,
      password: DEMO_PASSWORD,
      issueToken: true,
    });
    await api.db.sql("update staff_session set expires_at = now() - interval '1 second' where revoked_at is null");
    // A fresh store (another server process) sees the expiry at once; this one within its cache window.
    const { SessionStore } = await import("@chairside/db");
    expect(await new SessionStore(api.orm).authenticate(token as string)).toBeNull();
  });

  it("end when the staff member is archived", async () => {
    const { token } = await api.anonymous.auth.login({
      email: ACCOUNTS.dentist,
      password: DEMO_PASSWORD,
      issueToken: true,
    });
    await api.db.sql("update staff_member set archived = true where email = $1", [ACCOUNTS.dentist]);
    try {
      const { SessionStore } = await import("@chairside/db");
      expect(await new SessionStore(api.orm).authenticate(token as string)).toBeNull();
      expect(await codeOf(api.anonymous.auth.login({ email: ACCOUNTS.dentist, password: DEMO_PASSWORD }))).toBe(
        "UNAUTHORIZED",
      );
    } finally {
      await api.db.sql("update staff_member set archived = false where email = $1", [ACCOUNTS.dentist]);
    }
  });

  it("are refused when the token is unknown", async () => {
    expect(await codeOf(api.withToken("forged-token").patients.list({}))).toBe("UNAUTHORIZED");
  });
});

describe("over HTTP", () => {
  it("the SPA's session lives in an HttpOnly, SameSite cookie that authenticates later requests", async () => {
    const url = await api.listen();
    const login = await fetch(`${url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: ACCOUNTS.owner, password: DEMO_PASSWORD } }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^chairside_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const session = cookie.split(";")[0] as string;
    const me = await fetch(`${url}/trpc/auth.me`, { headers: { cookie: session } });
    expect(me.status).toBe(200);
    const anonymous = await fetch(`${url}/trpc/auth.me`);
    expect(anonymous.status).toBe(401);
  });
});
