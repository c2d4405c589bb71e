// The SPA's API client never sends a batch larger than the server takes (a screen can ask for many things at once).
import { MAX_BATCH_SIZE } from "@chairside/server/limits";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "../src/app/trpc.ts";
import { type RunningChairside, startChairside } from "./support/chairside.ts";

let chairside: RunningChairside;
beforeAll(async () => {
  chairside = await startChairside();
});
afterAll(() => chairside?.close());

describe("the SPA's API client", () => {
  it("splits more calls than the server takes in one request into several requests, each answered", async () => {
    const batchSizes: number[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      const target = new URL(input instanceof Request ? input.url : String(input));
      batchSizes.push(decodeURIComponent(target.pathname).split(",").length);
      return globalThis.fetch(input, init);
    };
    const client = createApiClient({ url: `${chairside.url}/trpc`, fetch });

    const calls = 2 * MAX_BATCH_SIZE + 1;
    const answers = await Promise.all(
      Array.from({ length: calls }, () =>
        client.services.list.query().then(
          () => "answered",
          (error: { data?: { code?: string } }) => error.data?.code ?? "no answer",
        ),
      ),
    );
    // Not signed in: each call is answered on its own (UNAUTHORIZED), none refused as part of an oversized batch.
    expect(answers).toEqual(Array.from({ length: calls }, () => "UNAUTHORIZED"));
    expect(batchSizes.reduce((sum, size) => sum + size, 0)).toBe(calls);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(MAX_BATCH_SIZE);
  });
});
