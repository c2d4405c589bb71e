import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
let url: string;
let token: string;

beforeAll(async () => {
  api = await createTestApi({ patients: 200 });
  url = await api.listen();
  const login = await fetch(`${url}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email: ACCOUNTS.owner, password: DEMO_PASSWORD, issueToken: true } }),
  });
  token = ((await login.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
});
afterAll(() => api.close());

const listUrl = (input: unknown) =>
  `${url}/trpc/patients.list?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

describe("the API over HTTP", () => {
  it("compresses a page of patients", async () => {
    const response = await fetch(listUrl({ limit: 50 }), {
      headers: { authorization: `Bearer ${token}`, "accept-encoding": "br, gzip" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-encoding")).toBe("br");
    // What the answer depends on, from CORS, tRPC and the compression: none of them may drop another's.
    expect(response.headers.get("vary")).toBe("Origin, trpc-accept, accept, accept-encoding");
    const body = (await response.json()) as { result: { data: { json: { items: unknown[] } } } };
    expect(body.result.data.json.items).toHaveLength(50);
  });

  it("compresses as the client accepts, and small answers not at all", async () => {
    for (const [accepted, encoding] of [
      ["gzip", "gzip"],
      ["br;q=0, gzip", "gzip"],
      ["gzip;q=0.5, br;q=0.9", "br"],
      ["identity", null],
    ] as const) {
      const response = await fetch(listUrl({ limit: 50 }), {
        headers: { authorization: `Bearer ${token}`, "accept-encoding": accepted },
      });
      expect([accepted, response.headers.get("content-encoding")]).toEqual([accepted, encoding]);
      expect(response.headers.get("vary")).toMatch(/accept-encoding/i);
      const body = (await response.json()) as { result: { data: { json: { items: unknown[] } } } };
      expect(body.result.data.json.items).toHaveLength(50);
    }
    const small = await fetch(`${url}/trpc/patients.counts?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, {
      headers: { authorization: `Bearer ${token}`, "accept-encoding": "br, gzip" },
    });
    expect(small.status).toBe(200);
    expect(small.headers.get("content-encoding")).toBeNull();
  });

  it("answers bad input with field issues, not a 500", async () => {
    const response = await fetch(listUrl({ limit: 0, status: "sleeping" }), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { json: { data: { code: string; zodError: { fieldErrors: Record<string, string[]> } } } };
    };
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(body.error.json.data.zodError.fieldErrors).sort()).toEqual(["limit", "status"]);
  });

  it("serves batched calls in one request", async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: { json: { limit: 1 } }, 1: { json: {} } }));
    const response = await fetch(`${url}/trpc/patients.list,patients.counts?batch=1&input=${input}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(2);
  });
});

describe("the built SPA beside the API", () => {
  const folder = mkdtempSync(join(tmpdir(), "chairside-web-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("serves files, and index.html for client-side routes, on the API's port", async () => {
    mkdirSync(join(folder, "assets"));
    writeFileSync(join(folder, "index.html"), "<!doctype html><title>Chairside</title>");
    writeFileSync(join(folder, "assets", "app.js"), "console.log('chairside')");
    const app = await buildApp({ services: api.services, webRoot: folder });
    try {
      const page = await app.inject({ url: "/patients/12?status=active", headers: { accept: "text/html" } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("<title>Chairside</title>");
      const asset = await app.inject({ url: "/assets/app.js" });
      expect(asset.body).toContain("chairside");
      const missingApi = await app.inject({ url: "/trpc/nope", headers: { accept: "text/html" } });
      expect(missingApi.statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it("never serves a source map, however it is asked for", async () => {
    writeFileSync(join(folder, "assets", "app.js.map"), '{"version":3,"sources":["src/main.tsx"]}');
    const app = await buildApp({ services: api.services, webRoot: folder });
    try {
      for (const [path, accept] of [
        ["/assets/app.js.map", "*/*"],
        ["/assets/app.js.map", "text/html"],
        ["/assets/APP.JS.MAP", "*/*"],
        ["/assets/app.js.map?v=1", "*/*"],
        ["/assets/%61pp.js.map", "*/*"],
      ] as const) {
        const answer = await app.inject({ url: path, headers: { accept } });
        expect(answer.statusCode, `${path} (${accept})`).toBe(404);
        expect(answer.body, path).not.toContain("sources");
      }
      expect((await app.inject({ url: "/assets/app.js" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
