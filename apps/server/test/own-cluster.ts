// An API on a PostgreSQL cluster of its own, which a test may stop and start (the shared test cluster must
// not be stopped under other test files).
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChairsideOrm, createOrm, SERVER_DRIVER_OPTIONS } from "@chairside/db";
import { seedDatabase } from "@chairside/db/seed";
// The embedded launcher is internal to the db package.
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../../../packages/db/src/postgres/embedded.ts";
import { appRouter } from "../src/routers/root.ts";
import { closeServices, createServices } from "../src/services.ts";
import { createContextInner, type Services } from "../src/trpc/context.ts";
import { createCallerFactory } from "../src/trpc/trpc.ts";
import { ACCOUNTS, type Caller, DEMO_PASSWORD, SEED_TODAY } from "./harness.ts";

export interface OwnCluster {
  orm: ChairsideOrm;
  services: Services;
  /** A caller signed in as the owner; a fresh context per call. */
  caller(): Caller;
  /** Stops PostgreSQL (a fast shutdown: open transactions are rolled back). */
  stopDatabase(): Promise<void>;
  /** Starts it again on the same port, so the pool's URL still points at it. */
  startDatabase(): Promise<void>;
  close(): Promise<void>;
}

export async function startOwnCluster(options: {
  patients: number;
  seed: number;
  durable?: boolean;
}): Promise<OwnCluster> {
  const folder = mkdtempSync(join(tmpdir(), "chairside-own-"));
  chmodSync(folder, 0o755); // PostgreSQL runs as the postgres user when we are root
  const dataDir = join(folder, "pgdata");
  const durable = options.durable ?? false;
  let cluster: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, durable });
  const orm = await createOrm(cluster.url, { driverOptions: SERVER_DRIVER_OPTIONS });
  await orm.migrator.up();
  await seedDatabase(cluster.url, { patients: options.patients, seed: options.seed, today: SEED_TODAY });
  const services = await createServices(orm);
  const token = (await services.sessions.signIn(ACCOUNTS.owner, DEMO_PASSWORD))?.token as string;
  const callerFactory = createCallerFactory(appRouter);
  return {
    orm,
    services,
    caller: () => callerFactory(() => createContextInner({ services, token, clientAddress: "127.0.0.1" })),
    stopDatabase: () => cluster.stop(),
    async startDatabase() {
      cluster = await startEmbeddedPostgres({ dataDir, port: cluster.port, durable });
    },
    async close() {
      await closeServices(services, 1_000);
      await orm.close();
      await cluster.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
