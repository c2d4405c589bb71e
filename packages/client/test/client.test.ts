// The client against a live API over real HTTP: signing in with a bearer token, paging, typed errors, batching.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "../../../apps/server/test/harness.ts";
import {
  type ChairsideErrorCode,
  createChairsideClient,
  isChairsideError,
  listAllPatients,
  type PatientListItem,
  readChairsideError,
  signIn,
} from "../src/index.ts";

let api: TestApi;
let url: string;
beforeAll(async () => {
  api = await createTestApi();
  url = await api.listen();
});
afterAll(() => api?.close());

interface RecordedRequest {
  method: string;
  url: URL;
  authorization: string | null;
}

/** A fetch that records every HTTP request the client sends, then sends it. */
function recordingFetch() {
  const requests: RecordedRequest[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    const target = input instanceof Request ? input.url : String(input);
    requests.push({
      method: init?.method ?? "GET",
      url: new URL(target),
      authorization: new Headers(init?.headers).get("authorization"),
    });
    return globalThis.fetch(input, init);
  };
  return { fetch, requests };
}

/** The error a promise rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, and it succeeded");
}

const ids = (patients: PatientListItem[]) => patients.map((patient) => patient.id);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe("signing in (a service's way in)", () => {
  it("signs in over HTTP and sends the token as a bearer header on every later call", async () => {
    const { fetch, requests } = recordingFetch();
    const signedIn = await signIn({ url, email: ACCOUNTS.receptionist, password: DEMO_PASSWORD, fetch });
    expect(signedIn.staff).toMatchObject({ email: ACCOUNTS.receptionist, role: "receptionist", clinicIds: [1] });
    expect(signedIn.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // superjson carries dates as dates.
    expect(signedIn.expiresAt).toBeInstanceOf(Date);
    expect(signedIn.expiresAt.getTime()).toBeGreaterThan(Date.now());

    const me = await signedIn.client.auth.me.query();
    expect(me.staff.id).toBe(signedIn.staff.id);
    expect(requests.map((request) => [request.url.pathname, request.authorization])).toEqual([
      ["/trpc/auth.login", null],
      ["/trpc/auth.me", `Bearer ${signedIn.token}`],
    ]);
  });

  it("takes a token alone in a new client, until that session signs out", async () => {
    const { token } = await signIn({ url, email: ACCOUNTS.dentist, password: DEMO_PASSWORD });
    const client = createChairsideClient({ url, token });
    expect((await client.auth.me.query()).staff.email).toBe(ACCOUNTS.dentist);
    await client.auth.logout.mutate();
    expect(isChairsideError(await rejectionOf(client.auth.me.query()), "UNAUTHORIZED")).toBe(true);
  });

  it("refuses a wrong password as UNAUTHORIZED, without saying which part was wrong", async () => {
    const error = await rejectionOf(signIn({ url, email: ACCOUNTS.owner, password: "not the password" }));
    expect(readChairsideError(error)).toMatchObject({
      code: "UNAUTHORIZED",
      httpStatus: 401,
      message: "email or password is wrong",
    });
  });

  it("accepts a base URL with a trailing slash, and refuses one that is not http(s)", async () => {
    const client = createChairsideClient({ url: `${url}/`, token: null });
    expect(isChairsideError(await rejectionOf(client.auth.me.query()), "UNAUTHORIZED")).toBe(true);
    expect(() => createChairsideClient({ url: "ftp://127.0.0.1/" })).toThrow(TypeError);
    expect(() => createChairsideClient({ url: "not a url" })).toThrow(TypeError);
  });
});

describe("errors a caller can act on", () => {
  it("answers a call without a token with UNAUTHORIZED (401)", async () => {
    const error = await rejectionOf(createChairsideClient({ url }).patients.list.query({}));
    expect(isChairsideError(error)).toBe(true);
    expect(isChairsideError(error, "UNAUTHORIZED")).toBe(true);
    expect(isChairsideError(error, "FORBIDDEN")).toBe(false);
    expect(readChairsideError(error)).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401, details: null });
  });

  it("answers invalid input with BAD_REQUEST and the field's issues, typed", async () => {
    const { client } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    const error = await rejectionOf(client.patients.list.query({ limit: 0 }));
    if (!isChairsideError(error)) throw error;
    expectTypeOf(error.data?.code).toEqualTypeOf<ChairsideErrorCode | undefined>();
    expect(error.data?.code).toBe("BAD_REQUEST");
    expect(error.data?.httpStatus).toBe(400);
    expect(error.data?.zodError?.formErrors).toEqual([]);
    const info = readChairsideError(error);
    expect(info?.fieldErrors).toEqual({ limit: [expect.stringMatching(/>=\s*1/)] });
    expect(info?.formErrors).toEqual([]);
  });

  it("answers a garbled cursor, or one from another list, with BAD_REQUEST rather than a wrong page", async () => {
    const { client } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    const garbled = readChairsideError(await rejectionOf(client.patients.list.query({ cursor: "bm90LWEtY3Vyc29y" })));
    expect(garbled).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400, fieldErrors: {} });
    expect(garbled?.message).toMatch(/invalid cursor/);

    const { nextCursor } = await client.patients.list.query({ limit: 5, status: "active" });
    expect(nextCursor).not.toBeNull();
    const foreign = readChairsideError(
      await rejectionOf(client.patients.list.query({ limit: 5, status: "inactive", cursor: nextCursor })),
    );
    expect(foreign).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(foreign?.message).toMatch(/invalid cursor/);
  });

  it("reports a server that does not answer as an error without an API code", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const client = createChairsideClient({ url: `http://127.0.0.1:${closedPort}` });
    const error = await rejectionOf(client.auth.me.query());
    expect(isChairsideError(error)).toBe(true);
    expect(readChairsideError(error)).toMatchObject({ code: null, httpStatus: null });
  });

  it("is not fooled by errors that did not come from a call", () => {
    expect(isChairsideError(new Error("boom"))).toBe(false);
    expect(readChairsideError(new Error("boom"))).toBeNull();
    expect(readChairsideError("UNAUTHORIZED")).toBeNull();
  });
});

describe("paging through the patient list", () => {
  it("lists the next page without repeating or skipping a patient", async () => {
    const { client } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    const first = await client.patients.list.query({ limit: 10 });
    expect(first.items).toHaveLength(10);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.patients.list.query({ limit: 10, cursor: first.nextCursor });
    expect(second.items).toHaveLength(10);
    const both = await client.patients.list.query({ limit: 20 });
    expect([...ids(first.items), ...ids(second.items)]).toEqual(ids(both.items));
  });

  it("walks every page of a filtered list to its end, one request per page", async () => {
    const { fetch, requests } = recordingFetch();
    const { client } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD, fetch });
    const counts = await client.patients.counts.query({ clinicId: 2 });
    expect(counts.inactive).toBeGreaterThan(14);
    requests.length = 0;

    const patients = await collect(listAllPatients(client, { status: "inactive", clinicId: 2, limit: 7 }));
    expect(patients).toHaveLength(counts.inactive);
    expect(new Set(ids(patients)).size).toBe(patients.length);
    expect(patients.every((patient) => patient.status === "inactive" && patient.clinicId === 2)).toBe(true);
    // Keyset pages fetch one row more than they show, so the last page needs no empty request after it.
    expect(requests).toHaveLength(Math.ceil(counts.inactive / 7));
  });

  it("walks in the largest pages the API serves unless told otherwise", async () => {
    const { fetch, requests } = recordingFetch();
    const { client } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD, fetch });
    const { all } = await client.patients.counts.query({});
    requests.length = 0;
    const patients = await collect(listAllPatients(client, { sort: { by: "lastVisit", direction: "desc" } }));
    expect(patients).toHaveLength(all);
    expect(new Set(ids(patients)).size).toBe(all);
    expect(requests).toHaveLength(Math.ceil(all / 100));
    expect(requests.every((request) => JSON.parse(request.url.searchParams.get("input") ?? "")[0].json.limit === 100));
  });
});

describe("batching", () => {
  it("sends calls made in the same tick as one HTTP request", async () => {
    const { fetch, requests } = recordingFetch();
    const { token } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    const client = createChairsideClient({ url, token, fetch });

    const [me, counts] = await Promise.all([client.auth.me.query(), client.patients.counts.query({ clinicId: 1 })]);
    expect(me.staff.email).toBe(ACCOUNTS.owner);
    expect(counts.all).toBeGreaterThan(0);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url.pathname).toBe("/trpc/auth.me,patients.counts");
    expect(requests[0]?.url.searchParams.get("batch")).toBe("1");

    await client.auth.me.query();
    expect(requests).toHaveLength(2);
  });

  it("answers each call of a batch on its own: one failing does not fail the other", async () => {
    const { token } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    const client = createChairsideClient({ url, token });
    const [page, invalid] = await Promise.allSettled([
      client.patients.list.query({ limit: 1 }),
      client.patients.list.query({ limit: 1_000 }),
    ]);
    expect(page.status === "fulfilled" && page.value.items).toHaveLength(1);
    expect(invalid.status === "rejected" && readChairsideError(invalid.reason)?.code).toBe("BAD_REQUEST");
  });
});
