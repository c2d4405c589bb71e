// Text PostgreSQL cannot store (NUL, lone UTF-16 surrogates) is refused at the input with a field issue, never
// a 500 and never stored changed; names need something visible; and an audit entry is storable whatever the
// request carried, so no read is served without its entry.
import { LoginThrottle } from "@chairside/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
let url: string;
let token: string;
let patient: { id: number; version: number };

beforeAll(async () => {
  // Read entries reach the database when a test says `flush()`.
  api = await createTestApi({ patients: 30, audit: { flushIntervalMs: 600_000 } });
  api.services.production = true;
  url = await api.listen();
  token = (await api.services.sessions.signIn(ACCOUNTS.owner, DEMO_PASSWORD))?.token as string;
  const [row] = await api.db.sql<{ id: number; version: number }>(
    "select id, version from patient where clinic_id = 1 order by id limit 1",
  );
  patient = row as { id: number; version: number };
});
afterAll(() => api.close());

interface Answer {
  status: number;
  /** The field issues of a BAD_REQUEST (`error.data.zodError.fieldErrors`). */
  fieldErrors: Record<string, string[]> | undefined;
  body: string;
}

async function call(path: string, input: unknown, { signedIn = true } = {}): Promise<Answer> {
  const payload = JSON.stringify({ json: input });
  const headers: Record<string, string> = signedIn ? { authorization: `Bearer ${token}` } : {};
  const query = path.startsWith("patients.list") || path.startsWith("patients.counts");
  const response = query
    ? await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(payload)}`, { headers })
    : await fetch(`${url}/trpc/${path}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: payload,
      });
  const body = await response.text();
  const parsed = JSON.parse(body) as {
    error?: { json: { data: { zodError: { fieldErrors: Answer["fieldErrors"] } | null } } };
  };
  return { status: response.status, fieldErrors: parsed.error?.json.data.zodError?.fieldErrors, body };
}

async function auditEntryCount(): Promise<number> {
  await api.auditWriter.flush();
  const [row] = await api.db.sql<{ n: string }>("select count(*) as n from audit_entry");
  return Number(row?.n);
}

const UNSTORABLE = ["\u0000", "Hugo\u0000", "\udfff", "Liu\ud800", "\udc00\ud800"];

describe("text PostgreSQL cannot store", () => {
  it.each(UNSTORABLE)("is refused in a search with a field issue, and nothing is served: %j", async (search) => {
    const before = await auditEntryCount();
    for (const path of ["patients.list", "patients.counts"]) {
      const answer = await call(path, { search });
      expect(answer.status, answer.body).toBe(400);
      expect(answer.fieldErrors?.search).toEqual([expect.stringMatching(/cannot be stored/)]);
    }
    expect(await auditEntryCount()).toBe(before);
  });

  it.each([
    ["firstName", "Ana\u0000"],
    ["lastName", "\udfff"],
    ["notes", "allergic to\u0000 latex"],
    ["address", "1 Main St\ud800"],
    ["email", "ana\u0000@example.com"],
  ])("is refused in a new patient's %s, and nothing is written", async (field, value) => {
    const answer = await call("patients.create", {
      firstName: "Ana",
      lastName: "Storable",
      clinicId: 1,
      [field]: value,
    });
    expect(answer.status, answer.body).toBe(400);
    expect(answer.fieldErrors?.[field]).toContainEqual(expect.stringMatching(/cannot be stored/));
    expect(await api.db.sql("select id from patient where last_name in ('Storable', '\ufffd')")).toEqual([]);
  });

  it.each([
    ["firstName", "\udfffAna"],
    ["notes", "\u0000"],
  ])("is refused in an edit of %s, and the record is unchanged", async (field, value) => {
    const answer = await call("patients.update", { id: patient.id, version: patient.version, [field]: value });
    expect(answer.status, answer.body).toBe(400);
    expect(answer.fieldErrors?.[field]).toContainEqual(expect.stringMatching(/cannot be stored/));
    const [row] = await api.db.sql<{ version: number }>("select version from patient where id = $1", [patient.id]);
    expect(row?.version).toBe(patient.version);
  });

  it("is refused in a booking's notes", async () => {
    const [dentist] = await api.db.sql<{ id: number }>("select id from staff_member where role = 'dentist' limit 1");
    const answer = await call("appointments.create", {
      patientId: patient.id,
      dentistId: dentist?.id,
      serviceId: 1,
      startsAt: "2031-01-02T10:00:00.000Z",
      notes: "x\u0000",
    });
    expect(answer.status, answer.body).toBe(400);
    expect(answer.fieldErrors?.notes).toContainEqual(expect.stringMatching(/cannot be stored/));
  });
});

describe("names", () => {
  it.each(["\u200b", "\u202e", "\u0007", "\u001b", " \u200b\u202e\u0007 ", "\u3164", "Ana\u001b[31m"])(
    "need a visible character and no control character: %j is refused",
    async (firstName) => {
      const answer = await call("patients.create", { firstName, lastName: "Invisible", clinicId: 1 });
      expect(answer.status, answer.body).toBe(400);
      expect(answer.fieldErrors?.firstName).toHaveLength(1);
      expect(await api.db.sql("select id from patient where last_name = 'Invisible'")).toEqual([]);
    },
  );

  it("may be in any script, with the joiners some scripts need", async () => {
    for (const firstName of ["Zoë", "李", "Σοφία", "می\u200cخواهم", "O'Brien-Núñez"]) {
      const answer = await call("patients.create", { firstName, lastName: "Visible", clinicId: 1 });
      expect(answer.status, answer.body).toBe(200);
    }
  });
});

describe("a sign-in with an email PostgreSQL cannot store", () => {
  it("is refused with a field issue, audited, and throttled like any other failed sign-in", async () => {
    api.services.loginThrottle = new LoginThrottle(api.orm, {
      windowMs: 60_000,
      perAddress: 100,
      perAccountFromAddress: 2,
      perAccount: 100,
    });
    const email = `${ACCOUNTS.owner}\u0000`;
    await api.auditWriter.flush();
    const [{ id: since } = { id: "0" }] = await api.db.sql<{ id: string }>(
      "select coalesce(max(id), 0)::text as id from audit_entry",
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await call("auth.login", { email, password: DEMO_PASSWORD }, { signedIn: false });
      expect(answer.status, answer.body).toBe(400);
      expect(answer.fieldErrors?.email).toEqual([expect.stringMatching(/cannot be stored/)]);
    }
    const throttled = await call("auth.login", { email, password: DEMO_PASSWORD }, { signedIn: false });
    expect(throttled.status, throttled.body).toBe(429);
    await api.auditWriter.flush();
    const entries = await api.db.sql<{ action: string; email: string; details: { reason: string } }>(
      "select action, email, details from audit_entry where id > $1::bigint order by id",
      [since],
    );
    expect(entries.map((entry) => [entry.action, entry.email, entry.details.reason])).toEqual([
      ["login.failure", `${ACCOUNTS.owner}\ufffd`, "email cannot be stored"],
      ["login.failure", `${ACCOUNTS.owner}\ufffd`, "email cannot be stored"],
      ["login.failure", `${ACCOUNTS.owner}\ufffd`, "throttled"],
    ]);
  });
});

describe("an audit entry", () => {
  it("is written whatever text it carries: NUL and lone surrogates become U+FFFD, in values and keys", async () => {
    const before = api.auditWriter.report;
    api.auditWriter.add([
      {
        at: new Date(),
        action: "patient.list",
        staffId: null,
        email: "a\udfff\u0000@x.test",
        clinicId: null,
        patientId: null,
        details: { search: "\udfff", nested: ["Liu\ud800", { "\u0000key": "\ud800\u0000" }] },
        clientAddress: "127.0.0.1\u0000",
      },
    ]);
    await api.auditWriter.flush();
    expect(api.auditWriter.report.refused).toBe(before.refused);
    expect(api.auditWriter.report.written).toBe(before.written + 1);
    const [row] = await api.db.sql<{ email: string; details: unknown; client_address: string }>(
      "select email, details, client_address from audit_entry order by id desc limit 1",
    );
    expect(row).toEqual({
      email: "a\ufffd\ufffd@x.test",
      details: { search: "\ufffd", nested: ["Liu\ufffd", { "\ufffdkey": "\ufffd\ufffd" }] },
      client_address: "127.0.0.1\ufffd",
    });
  });
});
