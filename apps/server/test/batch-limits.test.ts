// What an anonymous caller can make the database do: a bounded batch, one session lookup per request (none for
// a token already known to be bogus), whatever the batch holds.
import { LoginThrottle } from "@chairside/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BATCH_SIZE } from "../src/trpc/limits.ts";
import { createTestApi, type TestApi } from "./harness.ts";

let api: TestApi;
let url: string;
beforeAll(async () => {
  api = await createTestApi({ patients: 20 });
  url = await api.listen();
});
afterAll(() => api.close());

/** One GET batch of `size` calls of `path` (no input). */
function batchUrl(path: string, size: number): string {
  const paths = Array.from({ length: size }, () => path).join(",");
  const input = Object.fromEntries(Array.from({ length: size }, (_, index) => [index, { json: null }]));
  return `${url}/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
}

const bogus = (token: string) => ({ authorization: `Bearer ${token}` });

describe("batches from a caller who is not signed in", () => {
  it("refuses a batch larger than the limit before touching the database", async () => {
    api.statements.length = 0;
    const response = await fetch(batchUrl("auth.me", MAX_BATCH_SIZE + 1), { headers: bogus("not-a-session-1") });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Batch call exceeds maximum size");
    expect(api.statements).toEqual([]);
  });

  it("looks a bogus token up once per request, not once per call of the batch", async () => {
    api.statements.length = 0;
    const response = await fetch(batchUrl("auth.me", MAX_BATCH_SIZE), { headers: bogus("not-a-session-2") });
    expect(response.status).toBe(401);
    const answers = (await response.json()) as { error: { json: { data: { code: string } } } }[];
    expect(answers.map((answer) => answer.error.json.data.code)).toEqual(
      Array.from({ length: MAX_BATCH_SIZE }, () => "UNAUTHORIZED"),
    );
    expect(api.statements).toHaveLength(1);
  });

  it("remembers a failed lookup, so the same bogus token costs no statement the next time", async () => {
    await fetch(batchUrl("patients.list", MAX_BATCH_SIZE), { headers: bogus("not-a-session-3") });
    api.statements.length = 0;
    for (let request = 0; request < 5; request++) {
      const response = await fetch(batchUrl("patients.counts", MAX_BATCH_SIZE), { headers: bogus("not-a-session-3") });
      expect(response.status).toBe(401);
    }
    expect(api.statements).toEqual([]);
  });

  it("costs one statement per throttled sign-in of a batch: its count, which every instance shares", async () => {
    api.services.loginThrottle = new LoginThrottle(api.orm, {
      windowMs: 60_000,
      perAddress: 1,
      perAccountFromAddress: 100,
      perAccount: 100,
    });
    const signIn = (size: number) =>
      fetch(`${url}/trpc/${Array.from({ length: size }, () => "auth.login").join(",")}?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          Object.fromEntries(
            Array.from({ length: size }, (_, index) => [
              index,
              { json: { email: `x${index}@x.test`, password: "no" } },
            ]),
          ),
        ),
      });
    await signIn(1); // one failure: the address is at its limit
    api.statements.length = 0;
    const response = await signIn(MAX_BATCH_SIZE);
    const answers = (await response.json()) as { error: { json: { data: { code: string } } } }[];
    expect(answers.map((answer) => answer.error.json.data.code)).toEqual(
      Array.from({ length: MAX_BATCH_SIZE }, () => "TOO_MANY_REQUESTS"),
    );
    expect(api.statements).toHaveLength(MAX_BATCH_SIZE);
    for (const statement of api.statements) expect(statement).toMatch(/^select sign_in_attempt\(/);
  });
});
