// Chairside as production runs it, for one test file: the API and the built SPA from one port, over a clone
// of the seeded practice (so a file's edits never reach another file).
import { createTestDatabase, type TestDatabase } from "@chairside/db/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import { buildApp } from "../../../server/src/app.ts";
import { closeServices, createServices } from "../../../server/src/services.ts";
import { launchBrowser } from "./browser.ts";
import type {} from "./provided.ts";

export interface RunningChairside {
  /** Where the SPA and the API are served, e.g. http://127.0.0.1:40123 */
  url: string;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function startChairside(): Promise<RunningChairside> {
  const { webRoot } = inject("chairsideWeb");
  const db = await createTestDatabase();
  const orm = await db.orm();
  const services = await createServices(orm, { secret: "web tests: a cursor secret of enough length" });
  const app = await buildApp({ services, webRoot });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url,
    db,
    async close() {
      await app.close();
      await closeServices(services);
      await db.drop();
    },
  };
}

/**
 * This test file's Chairside and its own Chromium, started before its tests and closed after them.
 * Read `chairside` and `browser` inside tests and hooks (they exist once `beforeAll` has run).
 */
export function runChairsideAndBrowser(): { chairside: RunningChairside; browser: Browser } {
  const running = {} as { chairside: RunningChairside; browser: Browser };
  beforeAll(async () => {
    [running.chairside, running.browser] = await Promise.all([startChairside(), launchBrowser()]);
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.chairside?.close();
  });
  return running;
}
