// A Chairside API over a seeded test database, called in-process (createCaller) or over HTTP.
import type { AddressInfo } from "node:net";
import { AuditWriter, type AuditWriterOptions, type ChairsideOrm } from "@chairside/db";
import { seedDatabase } from "@chairside/db/seed";
import { createTestDatabase, type TestDatabase } from "@chairside/db/testing";
import { TRPCError } from "@trpc/server";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/app.ts";
import { silentLog } from "../src/log.ts";
import { appRouter } from "../src/routers/root.ts";
import { closeServices, createServices } from "../src/services.ts";
import { createContextInner, type Services } from "../src/trpc/context.ts";
import { createCallerFactory } from "../src/trpc/trpc.ts";

/** The seeded demo accounts: an owner (all 3 clinics), a receptionist and a dentist at clinic 1. */
export const ACCOUNTS = {
  owner: "owner@chairside.test",
  receptionist: "reception@chairside.test",
  dentist: "dentist@chairside.test",
} as const;
export const DEMO_PASSWORD = "chairside-demo";
/** Seeded data is anchored to this day, so tests see the same rows on every run. */
export const SEED_TODAY = "2026-06-15";

const callerFactory = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof callerFactory>;

export interface TestApi {
  db: TestDatabase;
  orm: ChairsideOrm;
  /** Every SQL statement the API's ORM sent, in order; tests empty it (`length = 0`) before counting. */
  statements: string[];
  /** The values bound to each of `statements`, at the same index (empty it alongside). */
  values: unknown[][];
  services: Services;
  /** The audit trail's buffer: tests `flush()` it instead of waiting for its timer. */
  auditWriter: AuditWriter;
  /** A caller with no session. */
  anonymous: Caller;
  /** Signs in as one of the demo accounts (or any email) and returns a caller with that session. */
  as(email: string): Promise<Caller>;
  /** A caller for a raw token (e.g. a revoked one). Every call gets a fresh context (new EntityManager). */
  withToken(token: string | null): Caller;
  /** Serves the API over HTTP on a free port; returns its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  patients?: number;
  seed?: number;
  /** The audit writer's settings (its database is the test database unless `connectionString` says otherwise). */
  audit?: Partial<AuditWriterOptions>;
}

export async function createTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  await seedDatabase(db.url, { patients: options.patients ?? 300, seed: options.seed ?? 11, today: SEED_TODAY });
  const { orm, statements, values } = await db.recordingOrm();
  const auditWriter = new AuditWriter({ connectionString: db.url, log: silentLog(), ...options.audit });
  const standard = await createServices(orm, { secret: "a test secret that is long enough to sign cursors" });
  await standard.auditWriter.close(); // replaced by the test's own, whose settings tests choose
  const services: Services = { ...standard, auditWriter };
  let app: FastifyInstance | undefined;

  const withToken = (token: string | null) =>
    callerFactory(() => createContextInner({ services, token, clientAddress: "127.0.0.1" }));

  return {
    db,
    orm,
    statements,
    values,
    services,
    auditWriter,
    anonymous: withToken(null),
    withToken,
    async as(email) {
      const signedIn = await services.sessions.signIn(email, DEMO_PASSWORD);
      if (!signedIn) throw new Error(`cannot sign in as ${email}`);
      return withToken(signedIn.token);
    },
    async listen() {
      app ??= await buildApp({ services });
      await app.listen({ port: 0, host: "127.0.0.1" });
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    },
    async close() {
      try {
        await app?.close();
        await closeServices(services);
      } finally {
        // Whatever failed above, the database goes: a pool left open would outlive the test file.
        await db.drop();
      }
    },
  };
}

/** The error a call fails with; the test fails if it succeeds. */
export async function failure(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
