// The client never sends a batch larger than the server takes: more calls in one tick go out as several requests.
import { MAX_BATCH_SIZE } from "@chairside/server/limits";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "../../../apps/server/test/harness.ts";
import { createChairsideClient, signIn } from "../src/index.ts";

let api: TestApi;
let url: string;
beforeAll(async () => {
  api = await createTestApi({ patients: 20 });
  url = await api.listen();
});
afterAll(() => api?.close());

describe("batches", () => {
  it("splits more calls than the server takes in one request into several requests, each answered", async () => {
    const batchSizes: number[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      const target = new URL(input instanceof Request ? input.url : String(input));
      batchSizes.push(decodeURIComponent(target.pathname).split(",").length);
      return globalThis.fetch(input, init);
    };
    const { token } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    const client = createChairsideClient({ url, token, fetch });

    const calls = 2 * MAX_BATCH_SIZE + 1;
    const answers = await Promise.all(Array.from({ length: calls }, () => client.auth.me.query()));
    expect(answers.map((answer) => answer.staff.email)).toEqual(Array.from({ length: calls }, () => ACCOUNTS.owner));
    expect(batchSizes.reduce((sum, size) => sum + size, 0)).toBe(calls);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(MAX_BATCH_SIZE);
  });
});
