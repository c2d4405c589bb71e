// The API's plain calls (trpc/plain-calls.ts) answer as tRPC's own Fastify adapter does: each request below goes to
// the API and to the same router behind @trpc/server/adapters/fastify, and the status, the content type and the
// body (request ids and cursors aside, which differ by nature) must be the same.
import type { AddressInfo } from "node:net";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/routers/root.ts";
import { contextFactory } from "../src/trpc/context.ts";
import { MAX_BATCH_SIZE } from "../src/trpc/limits.ts";
import { plainRequest } from "../src/trpc/plain-calls.ts";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
let ours: string;
let stock: string;
let stockApp: FastifyInstance;
let token: string;

beforeAll(async () => {
  api = await createTestApi({ patients: 120 });
  ours = await api.listen();
  stockApp = Fastify({ routerOptions: { maxParamLength: 5_000 } });
  const createContext = contextFactory(api.services);
  await stockApp.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req, res }) => createContext(req, res),
    },
  } satisfies FastifyTRPCPluginOptions<typeof appRouter> & { prefix: string });
  await stockApp.listen({ port: 0, host: "127.0.0.1" });
  stock = `http://127.0.0.1:${(stockApp.server.address() as AddressInfo).port}`;
  const signedIn = await api.services.sessions.signIn(ACCOUNTS.owner, DEMO_PASSWORD);
  if (!signedIn) throw new Error("cannot sign in");
  token = signedIn.token;
});
afterAll(async () => {
  await stockApp?.close();
  await api?.close();
});

const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const list = (value: unknown) => input({ json: value });

interface Ask {
  name: string;
  method?: string;
  /** After /trpc/ */
  path: string;
  body?: string;
  headers?: Record<string, string>;
  signedIn?: boolean;
}

const ASKS: Ask[] = [
  { name: "a first page", path: `patients.list?input=${list({ limit: 20 })}` },
  { name: "a search", path: `patients.list?input=${list({ search: "an", limit: 5 })}` },
  { name: "no input", path: "clinics.list" },
  { name: "an empty input", path: "clinics.list?input=" },
  { name: "bad input", path: `patients.list?input=${list({ limit: -5, status: "sleeping" })}` },
  { name: "not signed in", path: `patients.list?input=${list({})}`, signedIn: false },
  { name: "a bad token", path: "auth.me", headers: { authorization: "Bearer nonsense" }, signedIn: false },
  { name: "a bad cursor", path: `patients.list?input=${list({ cursor: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })}` },
  {
    name: "a batch",
    path: `patients.list,clinics.list,auth.me?batch=1&input=${input({ 0: { json: { limit: 3 } } })}`,
  },
  { name: "a batch without input", path: "clinics.list,auth.me?batch=1" },
  {
    name: "a batch with a failing call",
    path: `patients.list,patients.counts?batch=1&input=${input({ 0: { json: { limit: 0 } }, 1: { json: {} } })}`,
  },
  { name: "a batch signed out", path: "clinics.list,auth.me?batch=1", signedIn: false },
  { name: "an unknown procedure", path: "patients.nothing" },
  { name: "an unknown procedure in a batch", path: "clinics.list,patients.nothing?batch=1" },
  { name: "an inherited name", path: "constructor" },
  { name: "a prototype", path: "__proto__" },
  { name: "a batch of inherited names", path: "toString,hasOwnProperty?batch=1" },
  { name: "a mutation over GET", path: `auth.login?input=${list({ email: "a@b.c", password: "x" })}` },
  { name: "a query over POST", method: "POST", path: "clinics.list", body: "{}" },
  { name: "input that is not JSON", path: "clinics.list?input=%7Bnope" },
  { name: "a batch whose input is an array", path: `clinics.list?batch=1&input=${input([{ json: {} }])}` },
  { name: "a batch whose input is a number", path: "clinics.list?batch=1&input=5" },
  {
    name: "an oversized batch",
    path: `${Array(MAX_BATCH_SIZE + 1)
      .fill("clinics.list")
      .join(",")}?batch=1`,
  },
  { name: "a batch of the limit", path: `${Array(MAX_BATCH_SIZE).fill("clinics.list").join(",")}?batch=1` },
  { name: "an empty path in a batch", path: "clinics.list,?batch=1" },
  { name: "an encoded path", path: "clinics%2Elist" },
  { name: "a doubly encoded path", path: "clinics%252Elist" },
  { name: "a broken encoding", path: "clinics%25E0%25A4%25A" },
  { name: "batch=true", path: "clinics.list?batch=true" },
  { name: "two batch flags", path: "clinics.list?batch=0&batch=1" },
  { name: "a plus in the input", path: `patients.list?input={"json":{"search":"a+b"}}` },
  {
    name: "superjson's meta",
    path: `patients.list?input=${input({ json: { limit: 2 }, meta: { values: { limit: ["custom", "nope"] } } })}`,
  },
  {
    name: "a prototype in superjson's meta",
    path: `clinics.list?input=${input({ json: {}, meta: { values: { __proto__: ["map"] } } })}`,
  },
  { name: "a streamed batch", path: "clinics.list?batch=1", headers: { "trpc-accept": "application/jsonl" } },
  { name: "connection params", path: `clinics.list?connectionParams=${input({ a: 1 })}` },
  { name: "a content type on a GET", path: "clinics.list", headers: { "content-type": "text/plain" } },
  { name: "a subscription over GET", path: `patients.changes?input=${input({ json: {} })}`, signedIn: false },
  {
    name: "a mutation with bad input",
    method: "POST",
    path: "auth.login",
    body: JSON.stringify({ json: { email: "", password: "" } }),
  },
  { name: "a mutation's batch", method: "POST", path: "auth.login,auth.login?batch=1", body: JSON.stringify({}) },
  { name: "a mutation whose body is not JSON", method: "POST", path: "auth.login", body: "{nope" },
  { name: "a mutation without a body", method: "POST", path: "auth.login", body: "" },
  {
    name: "a mutation in text/plain",
    method: "POST",
    path: "auth.login",
    body: JSON.stringify({ json: { email: "", password: "" } }),
    headers: { "content-type": "text/plain" },
  },
  { name: "HEAD", method: "HEAD", path: "clinics.list" },
  { name: "PUT", method: "PUT", path: "clinics.list", body: "{}" },
];

/** What must match: the status, the content type and the body, with what differs by nature put aside. */
async function answer(base: string, ask: Ask) {
  const method = ask.method ?? "GET";
  const response = await fetch(`${base}/trpc/${ask.path}`, {
    method,
    headers: {
      "accept-encoding": "identity",
      ...(ask.signedIn === false ? {} : { authorization: `Bearer ${token}` }),
      ...(ask.body !== undefined && method !== "GET" ? { "content-type": "application/json" } : {}),
      ...ask.headers,
    },
    ...(ask.body !== undefined && method !== "GET" ? { body: ask.body } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    // Ours adds CORS's and the compression's (the stock adapter has neither).
    vary: (response.headers.get("vary") ?? "")
      .split(", ")
      .filter((name) => name !== "Origin" && name !== "accept-encoding")
      .join(", "),
    body: text
      .replace(/"requestId":"[^"]*"/g, '"requestId":"…"')
      .replace(/logged as request [^"]*"/g, 'logged as request …"')
      .replace(/"nextCursor":"[^"]*"/g, '"nextCursor":"…"'),
  };
}

/** Requests drawn from a fixed seed, mixing the cases above: the same ones every run, more than a list can hold. */
function randomAsks(count: number, seed: number): Ask[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const pick = <T>(options: readonly T[]): T => options[Math.floor(random() * options.length)] as T;
  // Not audit.list: the entries it shows are the reads before it, and those land in batches, whenever they land.
  const procedures = [
    ...["patients.list", "patients.counts", "patients.get", "clinics.list", "auth.me", "auth.login"],
    ...["patients.nothing", "patients", "patients.list.x", "Patients.list", "constructor", "__proto__", "valueOf", ""],
  ];
  const values: unknown[] = [
    ...[{}, { json: {} }, { json: { limit: 3 } }, { json: { limit: "3" } }, { json: null }, { json: 1 }, { json: [] }],
    ...[{ json: { search: "an" } }, { json: { cursor: "x" } }, { json: { id: 1 } }, { json: { id: -1 } }, [], 5, null],
    ...[{ json: { id: 1e30 } }, { meta: {} }, { json: {}, meta: 5 }, { json: {}, meta: { values: ["undefined"] } }],
    { json: { a: "x" }, meta: { values: { a: ["bigint"] } } },
    { json: { a: "x" }, meta: { values: { a: ["Date"] } } },
    { json: {}, meta: { values: { constructor: ["map"] } } },
  ];
  const raw = ["{", "[]", "null", "0", '"x"', "%", "%7B", "", "{}}", "  {} ", '{"0":1}', "true"];
  return Array.from({ length: count }, (_, index) => {
    const method = pick(["GET", "GET", "GET", "POST", "POST", "HEAD", "PATCH"]);
    const batch = random() < 0.4;
    const paths = Array.from({ length: batch ? 1 + Math.floor(random() * 4) : 1 }, () => pick(procedures));
    let sent: string | undefined;
    const shape = random();
    if (shape < 0.15) sent = pick(raw);
    else if (shape < 0.3) sent = undefined;
    else if (batch) {
      const byIndex: Record<string, unknown> = {};
      for (const [at] of paths.entries()) if (random() < 0.7) byIndex[random() < 0.1 ? "x" : at] = pick(values);
      sent = JSON.stringify(random() < 0.1 ? Object.values(byIndex) : byIndex);
    } else sent = JSON.stringify(pick(values));
    const query = batch ? [pick(["batch=1", "batch=1", "batch=true", "batch=1&batch=0"])] : [];
    const headers: Record<string, string> = {};
    if (random() < 0.2) headers.authorization = random() < 0.5 ? "Bearer nonsense" : "";
    let body: string | undefined;
    if (method === "GET" || method === "HEAD") {
      if (sent !== undefined)
        query.push(`input=${random() < 0.9 ? encodeURIComponent(sent) : sent.replace(/[#&]/g, "")}`);
    } else {
      body = sent ?? "";
      headers["content-type"] = pick([
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "text/json",
      ]);
    }
    if (random() < 0.05) headers.accept = "application/jsonl";
    if (random() < 0.05) query.push("connectionParams=%7B%7D");
    const path = paths.map((name) => (random() < 0.05 ? encodeURIComponent(name).replaceAll(".", "%2E") : name));
    return {
      name: `random request ${index + 1}`,
      method,
      path: `${path.join(",")}${query.length ? `?${query.join("&")}` : ""}`,
      body,
      headers,
    };
  });
}

describe("plain calls", () => {
  it("answer every request as tRPC's own Fastify adapter does", async () => {
    for (const ask of ASKS) {
      const [mine, theirs] = [await answer(ours, ask), await answer(stock, ask)];
      expect({ ask: ask.name, ...mine }).toEqual({ ask: ask.name, ...theirs });
    }
  });

  it("answer random requests as tRPC's own Fastify adapter does", async () => {
    for (const ask of randomAsks(2_000, 18)) {
      const [mine, theirs] = [await answer(ours, ask), await answer(stock, ask)];
      expect({ ask, ...mine }).toEqual({ ask, ...theirs });
    }
  });

  it("are the list's pages, batches and mutations with a JSON body; the rest goes through tRPC's resolveResponse", () => {
    const plain = (method: string, url: string, headers: Record<string, string> = {}, body?: string) => {
      const path = url.slice("/trpc/".length).split("?")[0] ?? "";
      const request = { method, url, headers, body, params: { path: decodeURIComponent(path) } };
      return plainRequest(
        appRouter,
        request as unknown as FastifyRequest<{ Params: { path: string } }>,
        MAX_BATCH_SIZE,
      );
    };
    const json = { "content-type": "application/json" };
    expect(plain("GET", `/trpc/patients.list?input=${list({ limit: 50 })}`)).toEqual({
      batch: false,
      calls: [{ path: "patients.list", type: "query", sent: { json: { limit: 50 } } }],
    });
    expect(plain("GET", `/trpc/patients.list,patients.counts?batch=1&input=${input({ 1: { json: {} } })}`)).toEqual({
      batch: true,
      calls: [
        { path: "patients.list", type: "query", sent: undefined },
        { path: "patients.counts", type: "query", sent: { json: {} } },
      ],
    });
    expect(plain("POST", "/trpc/auth.login", json, JSON.stringify({ json: { email: "e" } }))?.calls).toEqual([
      { path: "auth.login", type: "mutation", sent: { json: { email: "e" } } },
    ]);
    for (const [method, url, headers, body] of [
      ["GET", "/trpc/patients.changes"],
      ["GET", "/trpc/auth.login"],
      ["POST", "/trpc/clinics.list", json, "{}"],
      ["POST", "/trpc/auth.login", { "content-type": "text/plain" }, "{}"],
      ["POST", "/trpc/auth.login", json, ""],
      ["GET", "/trpc/clinics.list?input=%7B"],
      ["GET", "/trpc/clinics.list", { accept: "application/jsonl" }],
      ["GET", "/trpc/constructor"],
      ["HEAD", "/trpc/clinics.list"],
    ] as const) {
      expect([method, url, plain(method, url, headers, body)]).toEqual([method, url, null]);
    }
  });
});
