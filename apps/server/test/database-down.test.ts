import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChairsideOrm, createOrm, SERVER_DRIVER_OPTIONS } from "@chairside/db";
import { seedDatabase } from "@chairside/db/seed";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The embedded launcher is internal to the db package; this test stops and starts a cluster of its own.
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../../../packages/db/src/postgres/embedded.ts";
import { buildApp } from "../src/app.ts";
import { appRouter } from "../src/routers/root.ts";
import { closeServices, createServices } from "../src/services.ts";
import { createContextInner, type Services } from "../src/trpc/context.ts";
import { createCallerFactory } from "../src/trpc/trpc.ts";
import { ACCOUNTS, DEMO_PASSWORD, SEED_TODAY } from "./harness.ts";

const folder = mkdtempSync(join(tmpdir(), "chairside-down-"));
chmodSync(folder, 0o755);
const dataDir = join(folder, "pgdata");
let cluster: EmbeddedPostgres;
let orm: ChairsideOrm;
let services: Services;
let token: string;

beforeAll(async () => {
  cluster = await startEmbeddedPostgres({ dataDir, durable: false });
  orm = await createOrm(cluster.url, { driverOptions: SERVER_DRIVER_OPTIONS });
  await orm.migrator.up();
  await seedDatabase(cluster.url, { patients: 30, seed: 2, today: SEED_TODAY });
  services = await createServices(orm);
  token = (await services.sessions.signIn(ACCOUNTS.owner, DEMO_PASSWORD))?.token as string;
});
afterAll(async () => {
  await closeServices(services);
  await orm.close();
  await cluster.stop();
  rmSync(folder, { recursive: true, force: true });
});

const caller = () =>
  createCallerFactory(appRouter)(() => createContextInner({ services, token, clientAddress: "127.0.0.1" }));

describe("while PostgreSQL is down", () => {
  it("readiness says unavailable and requests fail with SERVICE_UNAVAILABLE; both recover when it is back", async () => {
    const app = await buildApp({ services, webRoot: null });
    try {
      expect((await caller().patients.list({ limit: 5 })).items).toHaveLength(5);
      await cluster.stop();

      const ready = await app.inject({ url: "/ready" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: "unavailable", reason: "database unreachable" });
      const failure = await caller()
        .patients.list({ limit: 5 })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TRPCError);
      expect((failure as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
      expect((await app.inject({ url: "/health" })).statusCode).toBe(200); // the process itself is fine

      cluster = await startEmbeddedPostgres({ dataDir, port: cluster.port, durable: false });
      expect((await app.inject({ url: "/ready" })).statusCode).toBe(200);
      expect((await caller().patients.list({ limit: 5 })).items).toHaveLength(5);
    } finally {
      await app.close();
    }
  });
});
