// The cross-site check follows how a request actually authenticates: a cookie session is checked whatever
// other Authorization header rides along; only a bearer token (which a browser never adds by itself) is not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
let url: string;
let cookie: string;
beforeAll(async () => {
  api = await createTestApi({ patients: 10 });
  url = await api.listen();
  const signedIn = await fetch(`${url}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email: ACCOUNTS.receptionist, password: DEMO_PASSWORD } }),
  });
  cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
});
afterAll(() => api.close());

const FOREIGN = "https://evil.example.test";

/** Registers a patient with the session cookie, as a page on `origin` would. */
const registerFrom = (origin: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/trpc/patients.create`, {
    method: "POST",
    headers: { cookie, origin, "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: { firstName: "Mallory", lastName: "Crosssite", clinicId: 1 } }),
  });

describe("a cookie-authenticated write from another site", () => {
  it.each([
    ["Basic", "Basic dXNlcjpwYXNz"],
    ["a lower-case bearer", "bearer abc"],
    ["an empty value", ""],
    ["a made-up scheme", "Token abc"],
  ])("is refused when it also carries an Authorization header of %s", async (_kind, authorization) => {
    const response = await registerFrom(FOREIGN, { authorization });
    expect(response.status).toBe(403);
    const rows = await api.db.sql("select id from patient where last_name = 'Crosssite'");
    expect(rows).toEqual([]);
  });

  it("goes through from the SPA's own origin", async () => {
    const response = await registerFrom(url, { authorization: "Basic dXNlcjpwYXNz" });
    expect(response.status).toBe(200);
  });

  it("is not what a bearer-token request is: that one authenticates by its token, and the cookie is ignored", async () => {
    const response = await registerFrom(FOREIGN, { authorization: "Bearer not-a-session" });
    expect(response.status).toBe(401);
  });
});
