// Chairside through a transaction-mode pooler (Debian's PgBouncer 1.18, as Supabase's pooler on port 6543 is):
// every transaction may land on another server session, so nothing may rely on session state. The settings come
// from the role, the hot reads run unnamed, and LISTEN stays on a direct connection.
import { type ChairsideOrm, createServerOrm, SERVER_SETTINGS } from "@chairside/db";
import { type PgBouncer, startPgBouncer } from "@chairside/db/replication";
import { seedDatabase } from "@chairside/db/seed";
import { createTestDatabase, type TestDatabase } from "@chairside/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appRouter } from "../src/routers/root.ts";
import { closeServices, createServices } from "../src/services.ts";
import { createContextInner, type Services } from "../src/trpc/context.ts";
import { createCallerFactory } from "../src/trpc/trpc.ts";
import { ACCOUNTS, DEMO_PASSWORD, SEED_TODAY } from "./harness.ts";
import { eventually } from "./second-instance.ts";

let db: TestDatabase;
let bouncer: PgBouncer;
let orm: ChairsideOrm;
let services: Services;
const callerFactory = createCallerFactory(appRouter);
const withToken = (token: string | null, clientAddress = "127.0.0.1") =>
  callerFactory(() => createContextInner({ services, token, clientAddress }));

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDatabase(db.url, { patients: 200, seed: 5, today: SEED_TODAY });
  // Two server connections for ten of the ORM's: statements of different clients share server sessions.
  bouncer = await startPgBouncer(inject("chairsideTestServer").serverUrl, { poolSize: 2 });
  orm = await createServerOrm({
    url: bouncer.url(db.name),
    directUrl: db.url,
    replicaUrls: [],
    poolMode: "transaction",
  });
  services = await createServices(orm, {
    secret: "a test secret that is long enough to sign cursors",
    directUrl: db.url,
  });
});
afterAll(async () => {
  await closeServices(services, 1_000);
  await orm.close();
  await bouncer.stop();
  await db.drop();
});

const signIn = async (email: string) => {
  const signedIn = await services.sessions.signIn(email, DEMO_PASSWORD);
  if (!signedIn) throw new Error(`cannot sign in as ${email}`);
  return signedIn.token;
};

describe("through a transaction-mode pooler", () => {
  it("gives the server's connections their settings through the role, not the connection", async () => {
    const settings = await orm.em
      .getConnection()
      .execute(
        "select current_setting('statement_timeout') as timeout, current_setting('max_parallel_workers_per_gather') as workers",
      );
    expect(settings).toEqual([
      { timeout: SERVER_SETTINGS.statement_timeout, workers: SERVER_SETTINGS.max_parallel_workers_per_gather },
    ]);
  });

  it("serves concurrent lists, counts, records, edits and sign-ins without an error", async () => {
    const owner = withToken(await signIn(ACCOUNTS.owner));
    const patients = (await owner.patients.list({ limit: 8 })).items;
    const failures: unknown[] = [];
    const worker = async (index: number) => {
      const patient = patients[index];
      if (!patient) throw new Error("not enough patients");
      for (let round = 0; round < 6; round++) {
        try {
          const page = await owner.patients.list({ limit: 10, status: round % 2 ? "active" : "all" });
          if (page.nextCursor)
            await owner.patients.list({ limit: 10, cursor: page.nextCursor, status: round % 2 ? "active" : "all" });
          await owner.patients.list({
            limit: 5,
            clinicId: (round % 3) + 1,
            sort: { by: "lastVisit", direction: "desc" },
          });
          await owner.patients.counts({});
          const record = await owner.patients.byId({ id: patient.id });
          await owner.patients.update({ id: patient.id, version: record.version, notes: `round ${round}` });
          await owner.appointments.listByPatient({ patientId: patient.id });
          // From a desk of its own: simultaneous sign-ins from one address count against each other until checked.
          const session = await withToken(null, `10.0.0.${index + 1}`).auth.login({
            email: ACCOUNTS.receptionist,
            password: DEMO_PASSWORD,
            issueToken: true,
          });
          await withToken(session.token).auth.logout();
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(patients.map((_, index) => worker(index)));
    expect(failures.map((error) => (error instanceof Error ? error.message : String(error)))).toEqual([]);
  });

  it("hears of sign-outs on its direct connection, which the pooler could not carry", async () => {
    expect(services.sessions.hearingChanges).toBe(true);
    const token = await signIn(ACCOUNTS.dentist);
    await withToken(token).auth.me();
    await db.sql("update staff_session set revoked_at = now() where revoked_at is null");
    await eventually("the revoked session is refused", () =>
      withToken(token)
        .auth.me()
        .then(
          () => false,
          (error: unknown) => error instanceof TRPCError && error.code === "UNAUTHORIZED",
        ),
    );
  });
});
