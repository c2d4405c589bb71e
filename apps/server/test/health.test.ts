import type { ChairsideOrm } from "@chairside/db";
import { createTestDatabase, type TestDatabase } from "@chairside/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { createServices } from "../src/services.ts";

let db: TestDatabase;
let orm: ChairsideOrm;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await db.orm();
  app = await buildApp({ services: await createServices(orm) });
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

describe("health and readiness", () => {
  it("reports the process alive", async () => {
    const response = await app.inject({ method: "GET", url: "/health" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("reports ready while the database answers", async () => {
    const response = await app.inject({ method: "GET", url: "/ready" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: "ready",
      databases: [{ name: "primary", role: "primary", status: "up" }],
    });
  });

  it("reports unavailable, quickly, when the database is gone", async () => {
    const broken = await db.orm({ clientUrl: "postgres://nobody@127.0.0.1:1/none" });
    const brokenApp = await buildApp({ services: { ...(await createServices(orm)), orm: broken } });
    try {
      const response = await brokenApp.inject({ method: "GET", url: "/ready" });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: "unavailable", reason: "database unreachable" });
    } finally {
      await brokenApp.close();
    }
  });
});
