// Two server instances on one database, as behind a load balancer: what decides security is shared, never
// per process. A sign-out, a revoked session or a changed staff member reaches the other instance's session
// cache as PostgreSQL announces it, and the sign-in limits count every instance's attempts together.
import { LoginThrottle, type ThrottleLimits } from "@chairside/db";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServerLog } from "../src/log.ts";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";
import { eventually, type Instance, startAnotherInstance } from "./second-instance.ts";

let api: TestApi;
let other: Instance;
const logged: string[] = [];
beforeAll(async () => {
  api = await createTestApi({ patients: 20 });
  // The other instance's log lines, by message.
  const log = createServerLog({ write: (line: string) => void logged.push((JSON.parse(line) as { msg: string }).msg) });
  other = await startAnotherInstance(api, { log });
});
afterAll(async () => {
  await other.close();
  await api.close();
});

const signIn = async (email: string) => {
  const signedIn = await api.services.sessions.signIn(email, DEMO_PASSWORD);
  if (!signedIn) throw new Error(`cannot sign in as ${email}`);
  return signedIn.token;
};
/** Whether `caller`'s session is refused now. */
const refused = (call: Promise<unknown>) =>
  call.then(
    () => false,
    (error: unknown) => error instanceof TRPCError && error.code === "UNAUTHORIZED",
  );

describe("a session ended on one instance", () => {
  it("is refused on the other within a second of signing out", async () => {
    const token = await signIn(ACCOUNTS.receptionist);
    // Both instances have the session cached.
    expect((await api.withToken(token).auth.me()).staff.email).toBe(ACCOUNTS.receptionist);
    expect((await other.withToken(token).auth.me()).staff.email).toBe(ACCOUNTS.receptionist);
    await api.withToken(token).auth.logout();
    await eventually("the other instance refuses the signed-out token", () =>
      refused(other.withToken(token).auth.me()),
    );
  });

  it("is refused on the other within a second of being revoked by any tool", async () => {
    const token = await signIn(ACCOUNTS.owner);
    await other.withToken(token).patients.list({ limit: 1 });
    await api.db.sql("update staff_session set revoked_at = now() where revoked_at is null");
    await eventually("the other instance refuses the revoked token", () =>
      refused(other.withToken(token).patients.list({ limit: 1 })),
    );
  });
});

describe("a staff member changed on the database", () => {
  it("archived: refused on every instance within a second; brought back: signed in again", async () => {
    const token = await signIn(ACCOUNTS.dentist);
    await api.withToken(token).auth.me();
    await other.withToken(token).auth.me();
    await api.db.sql("update staff_member set archived = true where email = $1", [ACCOUNTS.dentist]);
    for (const instance of [api, other]) {
      await eventually("an archived staff member is refused", () => refused(instance.withToken(token).auth.me()));
    }
    await api.db.sql("update staff_member set archived = false where email = $1", [ACCOUNTS.dentist]);
    await eventually("a staff member brought back is signed in again", async () => {
      return !(await refused(other.withToken(token).auth.me()));
    });
  });

  it("moved to another clinic: every instance sees them there within a second", async () => {
    const token = await signIn(ACCOUNTS.receptionist);
    expect((await other.withToken(token).auth.me()).staff.clinicIds).toEqual([1]);
    await api.db.sql(
      `update staff_member_clinics set clinic_id = 2
        where staff_member_id = (select id from staff_member where email = $1)`,
      [ACCOUNTS.receptionist],
    );
    await eventually("the other instance sees the new clinic", async () => {
      return (await other.withToken(token).auth.me()).staff.clinicIds.join() === "2";
    });
    await api.db.sql(
      `update staff_member_clinics set clinic_id = 1
        where staff_member_id = (select id from staff_member where email = $1)`,
      [ACCOUNTS.receptionist],
    );
  });
});

describe("the sign-in limits", () => {
  it("count the guesses made on every instance together", async () => {
    await api.db.sql("delete from sign_in_failure_count");
    const limits: ThrottleLimits = { windowMs: 60_000, perAddress: 100, perAccountFromAddress: 3, perAccount: 100 };
    api.services.loginThrottle = new LoginThrottle(api.orm, limits);
    other.services.loginThrottle = new LoginThrottle(other.orm, limits);
    const guess = (instance: TestApi | Instance) =>
      instance
        .withToken(null)
        .auth.login({ email: ACCOUNTS.receptionist, password: "guess" })
        .catch((error: TRPCError) => error.code);
    expect([await guess(api), await guess(other), await guess(api)]).toEqual([
      "UNAUTHORIZED",
      "UNAUTHORIZED",
      "UNAUTHORIZED",
    ]);
    for (const instance of [other, api]) {
      const rightPassword = await instance
        .withToken(null)
        .auth.login({ email: ACCOUNTS.receptionist, password: DEMO_PASSWORD })
        .catch((error: TRPCError) => error.code);
      expect(rightPassword).toBe("TOO_MANY_REQUESTS");
    }
  });
});

describe("when the connection that hears of changes is lost", () => {
  it("says so, falls back to the cache's expiry, and hears changes again once it is back", async () => {
    logged.length = 0;
    await api.db.sql(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'chairside-changes' and datname = current_database()",
    );
    await eventually("the loss is logged", async () => logged.some((line) => /cannot listen/.test(line)));
    expect(logged[0]).toMatch(/re-checked after at most 30 s/);
    await eventually("it listens again", async () => other.services.sessions.hearingChanges, 5_000);
    expect(logged.some((line) => /listening for staff_changed, patient_changed again/.test(line))).toBe(true);

    const token = await signIn(ACCOUNTS.owner);
    await other.withToken(token).auth.me();
    await api.withToken(token).auth.logout();
    await eventually("the other instance refuses the signed-out token", () =>
      refused(other.withToken(token).auth.me()),
    );
  });
});
