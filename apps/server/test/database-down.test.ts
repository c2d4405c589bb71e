import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { type OwnCluster, startOwnCluster } from "./own-cluster.ts";

let own: OwnCluster;
beforeAll(async () => {
  own = await startOwnCluster({ patients: 30, seed: 2 });
});
afterAll(() => own.close());

describe("while PostgreSQL is down", () => {
  it("readiness says unavailable and requests fail with SERVICE_UNAVAILABLE; both recover when it is back", async () => {
    const app = await buildApp({ services: own.services, webRoot: null });
    try {
      expect((await own.caller().patients.list({ limit: 5 })).items).toHaveLength(5);
      await own.stopDatabase();

      const ready = await app.inject({ url: "/ready" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: "unavailable",
        reason: "database unreachable",
        databases: [{ name: "primary", status: "down" }],
      });
      const failure = await own
        .caller()
        .patients.list({ limit: 5 })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TRPCError);
      expect((failure as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
      expect((await app.inject({ url: "/health" })).statusCode).toBe(200); // the process itself is fine

      await own.startDatabase();
      expect((await app.inject({ url: "/ready" })).statusCode).toBe(200);
      expect((await own.caller().patients.list({ limit: 5 })).items).toHaveLength(5);
    } finally {
      await app.close();
    }
  });
});
