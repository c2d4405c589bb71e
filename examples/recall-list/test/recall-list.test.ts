// The recall list run as a developer would run it: a child process talking HTTP to a live API, its CSV
// held against what the database itself says.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { createChairsideClient, signIn } from "@chairside/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "../../../apps/server/test/harness.ts";
import type { RecallListItem } from "../src/recall-list.ts";

const MAIN = join(import.meta.dirname, "..", "src", "main.ts");
const CLINIC = 2;
const HEADER = [
  "id",
  "last_name",
  "first_name",
  "email",
  "phone",
  "last_visit",
  "recall_due",
  "days_overdue",
  "clinic",
];
const OWNER = { CHAIRSIDE_EMAIL: ACCOUNTS.owner, CHAIRSIDE_PASSWORD: DEMO_PASSWORD };

/** Names a spreadsheet or a careless CSV writer would get wrong, given to patients of the clinic due for recall. */
const AWKWARD = {
  quotedAndMultiline: { last_name: 'Doe, "Jr."\nthe second', first_name: '=HYPERLINK("http://evil.test","recall")' },
  formulaLike: { last_name: "-2+3", first_name: "@SUM(1+1)" },
};

interface ExpectedRow {
  id: number;
  last_name: string;
  first_name: string;
  email: string | null;
  phone: string | null;
  last_visit: string;
  recall_due: string;
  days_overdue: string;
  clinic: string;
}

/** The clinic's patients due for recall, by the rule stated in SQL (clinic-rules.ts): current patients whose last
 *  visit's local date plus their interval has come, with nothing booked from now on; the most overdue first. */
const DUE_SQL = `
  with recall as (
    select p.*, c.name as clinic, (now() at time zone c.time_zone)::date as today,
           to_char(p.last_visit_at at time zone c.time_zone, 'YYYY-MM-DD') as last_visit,
           ((p.last_visit_at at time zone c.time_zone)::date + make_interval(months => p.recall_interval_months))::date as due
      from patient p join clinic c on c.id = p.clinic_id
     where p.clinic_id = $1 and p.archived_at is null and p.last_visit_at is not null)
  select id, last_name, first_name, email, phone, last_visit, due::text as recall_due,
         (today - due)::text as days_overdue, clinic
    from recall r
   where due <= today
     and not exists (select 1 from appointment a where a.patient_id = r.id and a.starts_at > now()
                       and a.status not in ('cancelled', 'cancel_requested', 'completed', 'missed'))
   order by due, id`;

let api: TestApi;
let url: string;
let expected: ExpectedRow[];
let archivedId: number;
let ownerRun: RunResult;

beforeAll(async () => {
  // Enough patients that the clinic's recall list fills more than one page of 100.
  api = await createTestApi({ patients: 2_000 });
  const due = await api.db.sql<{ id: number }>(DUE_SQL, [CLINIC]);
  const [first, second, third] = due.map((row) => row.id);
  if (!first || !second || !third) throw new Error("the seed gave clinic 2 too few patients due for recall");
  for (const [id, names] of [
    [first, AWKWARD.quotedAndMultiline],
    [second, AWKWARD.formulaLike],
  ] as const) {
    await api.db.sql("update patient set last_name = $2, first_name = $3 where id = $1", [
      id,
      names.last_name,
      names.first_name,
    ]);
  }
  archivedId = third;
  await api.db.sql("update patient set archived_at = now() where id = $1", [archivedId]);
  expected = await api.db.sql<ExpectedRow>(DUE_SQL, [CLINIC]);
  url = await api.listen();
  ownerRun = await runExample(["--url", url, "--clinic", String(CLINIC)], OWNER);
});
afterAll(() => api?.close());

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runExample(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Only what is given here: no CHAIRSIDE_* from the developer's shell.
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** RFC 4180, read strictly and independently of the writer under test: a bare quote, CR or LF is an error. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
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

const idsOf = (records: string[][]) => records.slice(1).map((record) => Number(record[0]));

describe("the recall list of a clinic", () => {
  it("lists exactly the clinic's patients due for recall, the most overdue first, each once, under a header", () => {
    expect(ownerRun.stderr).toBe("");
    expect(ownerRun.code).toBe(0);
    const records = parseCsv(ownerRun.stdout);
    expect(records[0]).toEqual(HEADER);
    const ids = idsOf(records);
    expect(ids.length).toBe(expected.length);
    expect(ids.length).toBeGreaterThan(100); // more than one page
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expected.map((row) => row.id));
    expect(ids).not.toContain(archivedId);
  });

  it("follows recall.list, the Recall view's own procedure, walked page by page, in its order", async () => {
    const { client } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    const walked: RecallListItem[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: RecallListItem[]; nextCursor: string | null } = await client.recall.list.query({
        clinicId: CLINIC,
        limit: 100,
        cursor,
      });
      walked.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(idsOf(parseCsv(ownerRun.stdout))).toEqual(walked.map((patient) => patient.id));
  });

  it("writes each patient's fields as the database holds them", () => {
    const byId = new Map(expected.map((row) => [row.id, row]));
    // A spreadsheet would run a cell that starts like a formula; the list keeps it text with an apostrophe.
    const asText = (value: string | null) => (value === null ? "" : /^[=+\-@]/.test(value) ? `'${value}` : value);
    for (const record of parseCsv(ownerRun.stdout).slice(1)) {
      const row = byId.get(Number(record[0]));
      expect(record).toEqual([
        String(row?.id),
        asText(row?.last_name ?? null),
        asText(row?.first_name ?? null),
        asText(row?.email ?? null),
        asText(row?.phone ?? null),
        row?.last_visit,
        row?.recall_due,
        row?.days_overdue,
        row?.clinic,
      ]);
    }
  });

  it("escapes commas, quotes and line breaks, and keeps would-be formulas as text", () => {
    const [first, second] = expected.filter((row) =>
      [AWKWARD.quotedAndMultiline.last_name, AWKWARD.formulaLike.last_name].includes(row.last_name),
    );
    expect(ownerRun.stdout).toContain(
      `${first?.id},"Doe, ""Jr.""\nthe second","'=HYPERLINK(""http://evil.test"",""recall"")",`,
    );
    expect(ownerRun.stdout).toContain(`${second?.id},"'-2+3","'@SUM(1+1)",`);
    // No cell of the list starts with a character a spreadsheet would take for a formula.
    const cells = parseCsv(ownerRun.stdout).flat();
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });

  it("signs in with a token from the environment instead of a password", async () => {
    const { token } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    const run = await runExample(["--url", url, "--clinic", String(CLINIC)], { CHAIRSIDE_TOKEN: token });
    expect(run).toEqual({ code: 0, stdout: ownerRun.stdout, stderr: "" });
  });

  it("gives a receptionist their own clinic's list, and refuses another clinic's in one line", async () => {
    const env = { CHAIRSIDE_EMAIL: ACCOUNTS.receptionist, CHAIRSIDE_PASSWORD: DEMO_PASSWORD };
    const own = await runExample(["--url", url, "--clinic", "1"], env);
    expect(own.code).toBe(0);
    expect(parseCsv(own.stdout).length).toBeGreaterThan(1);
    const other = await runExample(["--url", url, "--clinic", String(CLINIC)], env);
    expect(other).toEqual({
      code: 1,
      stdout: "",
      stderr: expect.stringMatching(/^recall-list: clinic 2 is not one of yours; yours: 1 \([^)]+\)\n$/),
    });
  });

  it("stops quietly when the reader goes away, as `| head` does", async () => {
    const child = spawn(process.execPath, [MAIN, "--url", url, "--clinic", String(CLINIC)], {
      env: { PATH: process.env.PATH ?? "", ...OWNER },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    // The header comes before the first page is fetched; closing the pipe then leaves every record to fail.
    const [header] = (await once(child.stdout, "data")) as [Buffer];
    expect(header.toString()).toMatch(/^id,last_name,/);
    child.stdout.destroy();
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  });

  it("prints its usage with --help", async () => {
    const run = await runExample(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: .*--url <server URL> --clinic <clinic id>/);
  });
});

describe("when it cannot work, one line on stderr and exit code 1", () => {
  const failures: [string, () => [string[], Record<string, string>], RegExp][] = [
    [
      "a wrong password",
      () => [["--url", url, "--clinic", "2"], { ...OWNER, CHAIRSIDE_PASSWORD: "not the password" }],
      /signing in failed: UNAUTHORIZED: email or password is wrong/,
    ],
    [
      "a token that was signed out",
      () => [["--url", url, "--clinic", "2"], { CHAIRSIDE_TOKEN: revokedToken }],
      /checking the clinic failed: UNAUTHORIZED: /,
    ],
    ["no credentials", () => [["--url", url, "--clinic", "2"], {}], /set CHAIRSIDE_EMAIL and CHAIRSIDE_PASSWORD/],
    [
      "both a token and a password",
      () => [["--url", url, "--clinic", "2"], { ...OWNER, CHAIRSIDE_TOKEN: "x" }],
      /either CHAIRSIDE_TOKEN or/,
    ],
    ["no --clinic", () => [["--url", url], OWNER], /--clinic is required/],
    [
      "a clinic that is not a number",
      () => [["--url", url, "--clinic", "two"], OWNER],
      /--clinic must be a clinic's id \(a positive whole number\), not "two"/,
    ],
    ["a clinic of zero", () => [["--url", url, "--clinic", "0"], OWNER], /--clinic must be/],
    ["no --url", () => [["--clinic", "2"], OWNER], /--url is required/],
    ["a URL without http", () => [["--url", "localhost:3000", "--clinic", "2"], OWNER], /--url must be an http/],
    ["an unknown option", () => [["--url", url, "--clinic", "2", "--clinc", "3"], OWNER], /Unknown option '--clinc'/],
    [
      "a server that does not answer",
      () => [["--url", `http://127.0.0.1:${closedPort}`, "--clinic", "2"], OWNER],
      /signing in failed: no answer from the server \(ECONNREFUSED\)/,
    ],
  ];

  let revokedToken: string;
  let closedPort: number;
  beforeAll(async () => {
    const { token } = await signIn({ url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    await createChairsideClient({ url, token }).auth.logout.mutate();
    revokedToken = token;
    closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
  });

  it.each(failures)("for %s", async (_, setup, message) => {
    const [args, env] = setup();
    const run = await runExample(args, env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^recall-list: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
  });
});
