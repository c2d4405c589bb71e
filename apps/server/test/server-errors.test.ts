import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { createServerLog } from "../src/log.ts";
import { createServices } from "../src/services.ts";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

type LogLine = Record<string, unknown> & { err?: Record<string, unknown> };

/** The server's log, read line by line as it would reach standard output. */
function capturedLog() {
  const lines: LogLine[] = [];
  const log = createServerLog({ write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines };
}

let api: TestApi;
let app: FastifyInstance;
let token: string;
let lines: LogLine[];

beforeAll(async () => {
  api = await createTestApi({ patients: 20 });
  const captured = capturedLog();
  lines = captured.lines;
  app = await buildApp({ services: { ...api.services, production: true, log: captured.log }, webRoot: null });
  token = (await api.services.sessions.signIn(ACCOUNTS.owner, DEMO_PASSWORD))?.token as string;
});
afterAll(async () => {
  await app.close();
  await api.close();
});

const call = (procedure: string, input?: unknown) =>
  app.inject({
    url: `/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`,
    headers: { authorization: `Bearer ${token}` },
  });

describe("outside production (npm start) too", () => {
  it("an answer carries no stack trace and no internal message: the log has them", async () => {
    const development = await buildApp({ services: { ...api.services, production: false }, webRoot: null });
    const ask = (url: string, withToken = true) =>
      development.inject({ url, headers: withToken ? { authorization: `Bearer ${token}` } : {} });
    await api.db.sql("alter table service rename to service_gone");
    try {
      const answers = [
        await ask("/trpc/services.list"), // INTERNAL_SERVER_ERROR
        await ask(`/trpc/patients.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 1000 } }))}`),
        await ask("/trpc/patients.list", false), // UNAUTHORIZED
      ];
      expect(answers.map((answer) => answer.statusCode)).toEqual([500, 400, 401]);
      for (const answer of answers) {
        expect(answer.body).not.toMatch(/stack|\.ts:\d|node_modules|service_gone|relation|select /i);
      }
    } finally {
      await api.db.sql("alter table service_gone rename to service");
      await development.close();
    }
  });
});

describe("the server's log", () => {
  it("writes one line for a 500, with the request id that the answer carries in its header and its message", async () => {
    // A real fault the API does not expect: the table behind a procedure has gone (schema drift, say).
    await api.db.sql("alter table service rename to service_gone");
    try {
      lines.length = 0;
      const response = await call("services.list");
      expect(response.statusCode).toBe(500);
      const requestId = response.headers["x-request-id"];
      expect(requestId).toMatch(/^[0-9a-f]{12}$/);
      const { error } = response.json() as { error: { json: { message: string; data: Record<string, unknown> } } };
      expect(error.json.message).toBe(`something went wrong on our side; it has been logged as request ${requestId}`);
      expect(error.json.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId });
      expect(JSON.stringify(error)).not.toMatch(/service_gone|relation|stack/);

      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 50,
        reqId: requestId,
        method: "GET",
        url: "/trpc/services.list",
        statusCode: 500,
        procedure: "services.list",
        code: "INTERNAL_SERVER_ERROR",
      });
      expect(lines[0]?.err?.message).toMatch(/relation "service" does not exist/);
    } finally {
      await api.db.sql("alter table service_gone rename to service");
    }
  });

  it("writes nothing for answers that went well or for the caller's own mistakes, which carry a request id too", async () => {
    lines.length = 0;
    const answers = [
      await call("services.list"),
      await call("patients.list", { limit: 1000 }), // BAD_REQUEST
      await app.inject({ url: "/trpc/patients.list" }), // UNAUTHORIZED
      await app.inject({ url: "/no-such-page" }),
      await app.inject({ url: "/ready" }),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 400, 401, 404, 200]);
    const ids = answers.map((answer) => answer.headers["x-request-id"]);
    expect(ids.every((id) => typeof id === "string" && /^[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(lines).toEqual([]);
  });

  it("writes one line when readiness fails, without the query string of the probe", async () => {
    const captured = capturedLog();
    const broken = await api.db.orm({ clientUrl: "postgres://nobody@127.0.0.1:1/none" });
    const brokenApp = await buildApp({ services: { ...api.services, orm: broken, log: captured.log }, webRoot: null });
    try {
      const response = await brokenApp.inject({ url: "/ready?probe=lb-7" });
      expect(response.statusCode).toBe(503);
      expect(captured.lines).toHaveLength(1);
      expect(captured.lines[0]).toMatchObject({
        level: 50,
        reqId: response.headers["x-request-id"],
        url: "/ready",
        statusCode: 503,
        msg: "readiness: the database did not answer",
      });
    } finally {
      await brokenApp.close();
    }
  });

  it("holds the audit trail's problems as lines too: an entry the database refuses, in full", async () => {
    const captured = capturedLog();
    const services = await createServices(api.orm, { log: captured.log });
    const entry = {
      at: new Date("2026-06-15T09:30:00.000Z"),
      action: "patient.view" as const,
      staffId: null,
      email: null,
      clinicId: null,
      patientId: 2_000_000_000, // no such patient
      details: { from: "a test" },
      clientAddress: "192.0.2.44",
    };
    try {
      services.auditWriter.add([entry]);
      await services.auditWriter.flush();
      expect(captured.lines).toHaveLength(1);
      expect(captured.lines[0]).toMatchObject({
        level: 50,
        msg: "the database refused an audit entry; it is skipped",
        entry: { ...entry, at: "2026-06-15T09:30:00.000Z" },
        err: { code: "23503" },
      });
    } finally {
      await services.auditWriter.close();
      services.clinics.close();
    }
  });
});
