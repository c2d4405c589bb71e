// Global setup of the browser tests: a throwaway PostgreSQL whose template database holds a seeded practice
// (every test file clones it, so files never see each other's edits), and the production build of the SPA.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDatabase } from "@chairside/db/seed";
import { build } from "vite";
import type { TestProject } from "vitest/node";
import { withDatabase } from "../../../packages/db/src/postgres/database.ts";
import startDatabase from "../../../packages/db/src/testing/global-setup.ts";
import type {} from "./support/provided.ts";

const PATIENTS = 3_000;
const SEED = 5;
const webDir = join(import.meta.dirname, "..");

export default async function setup(project: TestProject) {
  const stopDatabase = await startDatabase(project);
  const { serverUrl, template } = project.getProvidedContext().chairsideTestServer;
  // The server reads the clock, so the practice is seeded around the real today.
  const seedToday = new Date().toISOString().slice(0, 10);
  await seedDatabase(withDatabase(serverUrl, template), { patients: PATIENTS, seed: SEED, today: seedToday });

  const buildDir = mkdtempSync(join(tmpdir(), "chairside-web-"));
  const webRoot = join(buildDir, "dist");
  await buildForProduction(webRoot);

  project.provide("chairsideWeb", { webRoot, seedToday, patients: PATIENTS });
  return async () => {
    await stopDatabase();
    rmSync(buildDir, { recursive: true, force: true });
  };
}

/** The SPA exactly as `vite build` makes it. Vite takes NODE_ENV from the environment when it is set, and vitest
 *  sets it to "test", which would build React's development version. */
async function buildForProduction(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: join(webDir, "vite.config.ts"),
      root: webDir,
      mode: "production",
      logLevel: "warn",
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
