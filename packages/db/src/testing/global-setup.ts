// Vitest global setup: one throwaway PostgreSQL cluster per test run (never the developer's data), with a
// template database migrated once, from which every test file clones a database of its own in milliseconds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createOrm } from "../orm.ts";
import { ensureDatabase, withDatabase } from "../postgres/database.ts";
import { prepareThrowawayDir, startEmbeddedPostgres } from "../postgres/embedded.ts";
import { TEMPLATE_DATABASE } from "./provided.ts";

export default async function setup(project: TestProject) {
  // TEST_DATABASE_URL (a server where we may create databases) replaces the throwaway cluster;
  // DATABASE_URL is deliberately not used here, so tests never touch a real database.
  const external = process.env.TEST_DATABASE_URL;
  const folder = external ? null : mkdtempSync(join(tmpdir(), "chairside-test-"));
  const dataDir = folder ? prepareThrowawayDir(folder) : null;
  const cluster = dataDir ? await startEmbeddedPostgres({ dataDir, durable: false }) : null;
  const serverUrl = cluster?.url ?? (external as string);

  await ensureDatabase(serverUrl, TEMPLATE_DATABASE);
  const orm = await createOrm(withDatabase(serverUrl, TEMPLATE_DATABASE));
  await orm.migrator.up();
  await orm.close();

  project.provide("chairsideTestServer", { serverUrl, template: TEMPLATE_DATABASE, dataDir });
  return async () => {
    await cluster?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  };
}
