// `pnpm start`: opens the database (embedded PostgreSQL unless DATABASE_URL is set), applies migrations,
// loads demo data into an empty database, and serves Chairside on a port it prints.
import { createServerOrm, DatabaseStartupError, openDatabase, serverDatabaseOf } from "@chairside/db";
import { migrateToLatest, seedDemoIfEmpty } from "@chairside/db/setup";
import { buildApp } from "./app.ts";
import { readServerEnv } from "./env.ts";
import { createServerLog } from "./log.ts";
import { closeServices, createServices } from "./services.ts";

async function main(): Promise<void> {
  const env = readServerEnv();
  const log = createServerLog();
  const database = await openDatabase(undefined, { log });
  console.log(`chairside: database ${database.description}`);
  const serverDatabase = serverDatabaseOf(database);
  const orm = await createServerOrm(serverDatabase);
  const applied = await migrateToLatest(orm);
  if (applied.length) console.log(`chairside: applied migrations ${applied.join(", ")}`);
  const seedDemo = env.SEED_DEMO_DATA ?? (database.embedded && env.NODE_ENV !== "production");
  if (seedDemo && (await seedDemoIfEmpty(orm, database.url))) console.log("chairside: loaded the demo data");

  const services = await createServices(orm, {
    secret: env.CHAIRSIDE_SECRET,
    production: env.NODE_ENV === "production",
    log,
    directUrl: serverDatabase.directUrl,
  });
  const app = await buildApp({ services, corsOrigins: env.CORS_ORIGINS });
  const address = await app.listen({ port: env.PORT, host: env.HOST });
  console.log(`chairside: serving on ${address} (health: ${address}/health, readiness: ${address}/ready)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Fastify stops accepting, lets in-flight requests finish (new ones get 503), then the pool closes.
    // Should anything hang, give up well inside the 10 s an orchestrator usually allows.
    setTimeout(() => {
      console.error("chairside: shutdown took too long; exiting");
      process.exit(1);
    }, 9_000).unref();
    console.log(`chairside: ${signal} received, shutting down`);
    await app.close(); // in-flight requests finish and buffer their audit entries
    console.log("chairside: requests finished");
    const audit = await closeServices(services); // writes the audit backlog while the database is still up
    if (audit.unwritten) console.error(`chairside: ${audit.unwritten} audit entries could not be written`);
    console.log("chairside: audit trail written");
    await orm.close();
    await database.close();
    console.log("chairside: database closed");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof DatabaseStartupError ? `chairside: ${error.message}` : error);
  process.exit(1);
});
