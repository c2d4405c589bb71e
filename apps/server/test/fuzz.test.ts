import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/routers/root.ts";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
let url: string;
let token: string;

beforeAll(async () => {
  api = await createTestApi({ patients: 50 });
  api.services.production = true; // what callers see in production: no stacks, no internal messages
  url = await api.listen();
  const signedIn = await api.services.sessions.signIn(ACCOUNTS.owner, DEMO_PASSWORD);
  token = signedIn?.token as string;
});
afterAll(() => api.close());

/** What PostgreSQL cannot store (NUL, lone UTF-16 surrogates) and what does not show (controls, zero-width and
 *  bidi marks, a Hangul filler). */
const troublesomeUnit = fc.oneof(
  fc.constantFrom("\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u200b", "\u202e", "\ufeff", "\u3164"),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
);
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.string({ unit: "binary-ascii", maxLength: 30 }), // every control character, NUL included
  fc.string({ unit: fc.oneof(troublesomeUnit, fc.string({ minLength: 1, maxLength: 1 })), maxLength: 20 }),
  fc.constantFrom(
    "'; drop table patient; --",
    "' or 1=1 --",
    "\\",
    "%_%",
    "<script>alert(1)</script>",
    "\u0000",
    "Hugo\u0000Liu",
    "\udfff",
    "Liu\ud800",
    "\u200b\u202e\u0007\u001b",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🦷",
    "ǅ\u202e\u200b",
    "eyJxIjoiYSIsInYiOlsxXX0",
    "1970-01-01",
    "-infinity",
    "NaN",
  ),
  fc.constant("x".repeat(100_000)), // bigger than any field and than the body limit
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER),
  fc.double(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie("value"), { maxKeys: 3 }),
  ),
})).value;
const FIELDS = [
  "id",
  "patientId",
  "dentistId",
  "serviceId",
  "clinicId",
  "version",
  "limit",
  "cursor",
  "search",
  "status",
  "archived",
  "sort",
  "email",
  "password",
  "firstName",
  "lastName",
  "phone",
  "birthday",
  "gender",
  "notes",
  "startsAt",
  "confirmDuplicate",
  "issueToken",
  "direction",
  "staffId",
  "action",
  "from",
  "to",
  "kind",
  "text",
] as const;
/** Shaped like real input (ids that exist, text everywhere else), so that hostile text gets past the shape and
 *  reaches the database. */
const plausibleInput = fc.record(
  {
    id: fc.constant(1),
    patientId: fc.constant(1),
    clinicId: fc.constant(1),
    version: fc.constant(1),
    search: hostileString,
    email: hostileString,
    password: hostileString,
    firstName: hostileString,
    lastName: hostileString,
    phone: hostileString,
    address: hostileString,
    notes: hostileString,
    kind: fc.constantFrom("allergy", "premedication", "condition"),
    text: hostileString,
  },
  { requiredKeys: [] },
);
const hostileInput = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 6 }),
  hostileValue,
  plausibleInput,
);

const LEAKS =
  /stack|\.ts:\d|node_modules|select |insert |update "|postgres|mikro|kysely|syntax error|at [A-Za-z.]+ \(/i;

async function send(path: string, type: string, input: unknown): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify({ json: input });
  const headers: Record<string, string> = path === "auth.logout" ? {} : { authorization: `Bearer ${token}` };
  const response =
    type === "query"
      ? await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(payload)}`, { headers })
      : await fetch(`${url}/trpc/${path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: payload,
        });
  return { status: response.status, body: await response.text() };
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([path, procedure]) => [path, procedure._def.type] as const);

describe("hostile input over HTTP", () => {
  it.each(procedures)("%s never answers 5xx nor leaks internals", async (path, type) => {
    await fc.assert(
      fc.asyncProperty(hostileInput, async (input) => {
        const { status, body } = await send(path, type, input);
        expect(status, body.slice(0, 300)).toBeLessThan(500);
        if (status >= 400) expect(body.slice(0, 2_000)).not.toMatch(LEAKS);
      }),
      { numRuns: 40, seed: 20261125 },
    );
  });

  it("left no audit entry the database refused: every read served was audited", async () => {
    await api.auditWriter.flush();
    expect(api.auditWriter.report.refused).toBe(0);
  });

  it("leaves the server answering normally", async () => {
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const { status, body } = await send("patients.list", "query", { limit: 5 });
    expect(status).toBe(200);
    expect(JSON.parse(body).result.data.json.items).toHaveLength(5);
  });
});
