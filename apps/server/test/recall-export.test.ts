// GET /export/recall.csv: a clinic's recall list as a CSV download over HTTP, signed in like the API (cookie or
// bearer), decided by the policy table's recall.export row, streamed page by page and audited per page.

import { RECALL_CSV_PATH } from "@chairside/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECALL_CSV_COLUMNS } from "../src/export/recall-csv.ts";
import { SESSION_COOKIE } from "../src/trpc/context.ts";
import { ACCOUNTS, type Caller, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
let url: string;
const tokens: Record<keyof typeof ACCOUNTS, string> = { owner: "", receptionist: "", dentist: "" };
let owner: Caller;
let injected: number;

beforeAll(async () => {
  api = await createTestApi({ patients: 300, audit: { flushIntervalMs: 600_000 } });
  for (const role of Object.keys(tokens) as (keyof typeof ACCOUNTS)[]) {
    const signedIn = await api.services.sessions.signIn(ACCOUNTS[role], DEMO_PASSWORD);
    tokens[role] = signedIn?.token as string;
  }
  owner = api.withToken(tokens.owner);
  // Enough overdue patients at clinic 3 for more than one page of 100, one of them named like a formula.
  await api.db.sql(
    `with added as (
       insert into patient (first_name, last_name, clinic_id, created_at, updated_at)
       select 'Export', 'Overdue ' || n, 3, now() - interval '3 years', now() from generate_series(1, 150) n
       returning id)
     insert into appointment (patient_id, dentist_id, service_id, clinic_id, starts_at, status, completed_at, notes, created_at, updated_at)
     select added.id, a.dentist_id, a.service_id, 3, now() - interval '400 days', 'completed', now() - interval '400 days', '', now(), now()
       from added, lateral (select dentist_id, service_id from appointment where clinic_id = 3 limit 1) a`,
  );
  const [row] = await api.db.sql<{ id: number }>(
    `update patient set first_name = '=HYPERLINK("http://evil.test")', last_name = 'Doe, "Jr."'
      where id = (select min(id) from patient where last_name like 'Overdue %') returning id`,
  );
  injected = row?.id as number;
  url = await api.listen();
});
afterAll(() => api.close());

function download(query: string, headers: Record<string, string> = {}) {
  return fetch(`${url}${RECALL_CSV_PATH}${query}`, { headers });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** RFC 4180, read strictly: a bare quote, CR or LF outside quotes is an error. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      records.push([...record, field]);
      record = [];
      field = "";
      i++;
    } else if (char === '"' || char === "\r" || char === "\n") throw new Error(`bare ${JSON.stringify(char)} at ${i}`);
    else field += char;
  }
  if (quoted || field !== "" || record.length > 0) throw new Error("the last record does not end with CRLF");
  return records;
}

async function recallListOf(caller: Caller, clinicId: number) {
  const items: Awaited<ReturnType<Caller["recall"]["list"]>>["items"] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<Caller["recall"]["list"]>> = await caller.recall.list({
      clinicId,
      cursor,
      limit: 100,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** A cell as a spreadsheet-safe CSV keeps it: a would-be formula starts with an apostrophe. */
const asText = (value: string | null) => (value === null ? "" : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

describe("the recall CSV export", () => {
  it("streams the clinic's whole recall list, in its order, as an RFC 4180 attachment", async () => {
    const response = await download("?clinicId=3", bearer(tokens.owner));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="recall-clinic-3-\d{4}-\d\d-\d\d\.csv"$/,
    );
    // Written as it is read: no length known in advance.
    expect(response.headers.get("content-length")).toBeNull();
    const records = parseCsv(await response.text());
    expect(records[0]).toEqual([...RECALL_CSV_COLUMNS]);
    const listed = await recallListOf(owner, 3);
    expect(listed.length).toBeGreaterThan(200);
    expect(records.slice(1)).toEqual(
      listed.map((item) => [
        String(item.id),
        asText(item.lastName),
        asText(item.firstName),
        asText(item.email),
        asText(item.phone),
        item.lastVisit?.on ?? "",
        item.recall.dueOn,
        String(item.recall.overdueDays),
        String(item.recall.intervalMonths),
      ]),
    );
  });

  it("keeps would-be formulas as text and quotes commas and quotes", async () => {
    const text = await (await download("?clinicId=3", bearer(tokens.owner))).text();
    expect(text).toContain(`\r\n${injected},"Doe, ""Jr.""","'=HYPERLINK(""http://evil.test"")",`);
  });

  it("audits every page before writing it, as recall.export naming the patients", async () => {
    await api.auditWriter.flush();
    const [mark] = await api.db.sql<{ id: string }>("select coalesce(max(id), 0)::text as id from audit_entry");
    const records = parseCsv(await (await download("?clinicId=3", bearer(tokens.owner))).text());
    await api.auditWriter.flush();
    const entries = await api.db.sql<{ action: string; clinic_id: number; details: { patients: number[] } }>(
      "select action, clinic_id, details from audit_entry where id > $1::bigint order by id",
      [mark?.id],
    );
    const ids = records.slice(1).map((record) => Number(record[0]));
    expect(entries.length).toBe(Math.ceil(ids.length / 100));
    expect(entries.every((entry) => entry.action === "recall.export" && entry.clinic_id === 3)).toBe(true);
    expect(entries.flatMap((entry) => entry.details.patients)).toEqual(ids);
  });

  it("signs in with the SPA's session cookie too, for the receptionist's own clinic", async () => {
    const response = await download("?clinicId=1", { cookie: `${SESSION_COOKIE}=${tokens.receptionist}` });
    expect(response.status).toBe(200);
    const records = parseCsv(await response.text());
    expect(records.slice(1).map((record) => Number(record[0]))).toEqual(
      (await recallListOf(api.withToken(tokens.receptionist), 1)).map((item) => item.id),
    );
  });

  it.each([
    ["no credential", "?clinicId=1", {}, 401, /sign in/],
    ["a token that is no session", "?clinicId=1", bearer("not-a-session"), 401, /sign in/],
    ["no clinic", "", bearer("x"), 400, /clinicId/],
    ["a clinic that is not a number", "?clinicId=two", bearer("x"), 400, /clinicId/],
    ["clinic zero", "?clinicId=0", bearer("x"), 400, /clinicId/],
    ["two clinics", "?clinicId=1&clinicId=2", bearer("x"), 400, /clinicId/],
  ] as const)("refuses %s", async (_name, query, headers, status, message) => {
    const response = await download(query, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it("refuses what the policy table and the clinic scope refuse, with the API's codes", async () => {
    const cases: [string, Record<string, string>, number][] = [
      ["?clinicId=2", bearer(tokens.receptionist), 403],
      ["?clinicId=1", bearer(tokens.dentist), 403],
      ["?clinicId=999", bearer(tokens.owner), 404],
      ["?clinicId=99999999999", bearer(tokens.owner), 400],
    ];
    for (const [query, headers, status] of cases) {
      const response = await download(query, headers);
      expect(response.status, query).toBe(status);
      const body = (await response.json()) as { error: string };
      expect(body.error).not.toMatch(/select|stack|at .*\.ts/i);
    }
  });
});
