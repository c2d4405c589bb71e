import { localDate, PATIENT_LIST_TABS, type PatientListInput, patientStatus } from "@chairside/db";
import { readsOnly } from "@chairside/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterInputs } from "../src/index.ts";
import { ACCOUNTS, type Caller, createTestApi, type TestApi } from "./harness.ts";

type ListInput = RouterInputs["patients"]["list"];

let api: TestApi;
let owner: Caller;
let receptionist: Caller;
const fixtures: Record<string, number> = {};

async function insertPatient(values: {
  firstName: string;
  lastName: string;
  phone?: string;
  email?: string;
  clinicId?: number;
}): Promise<number> {
  const [row] = await api.db.sql<{ id: number }>(
    `insert into patient (first_name, last_name, email, phone, clinic_id, created_at, updated_at)
     values ($1, $2, $3, $4, $5, now(), now()) returning id`,
    [values.firstName, values.lastName, values.email ?? null, values.phone ?? null, values.clinicId ?? 1],
  );
  return (row as { id: number }).id;
}

beforeAll(async () => {
  api = await createTestApi({ patients: 400 });
  fixtures.anaGarcia = await insertPatient({
    firstName: "Ana",
    lastName: "García",
    phone: "+1 (555) 0123",
    email: "Ana.Garcia@Example.test",
  });
  fixtures.anabelGarces = await insertPatient({ firstName: "Anabel", lastName: "Garcés" });
  fixtures.marianaGargallo = await insertPatient({ firstName: "Mariana", lastName: "Gargallo" });
  fixtures.zoeInClinic2 = await insertPatient({ firstName: "Zoë", lastName: "Ångström", clinicId: 2 });
  owner = await api.as(ACCOUNTS.owner);
  receptionist = await api.as(ACCOUNTS.receptionist);
  await owner.patients.list({}); // signs the session into the cache, so later counts see only list SQL
  await receptionist.patients.list({});
});
afterAll(() => api.close());

/** Walks every page of a list and returns the ids in the order served. */
async function walk(caller: Caller, input: ListInput, between?: (page: number) => Promise<void>): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const result: { items: { id: number }[]; nextCursor: string | null } = await caller.patients.list({
      ...input,
      cursor,
    });
    ids.push(...result.items.map((item) => item.id));
    if (!result.nextCursor) return ids;
    cursor = result.nextCursor;
    await between?.(page);
  }
  throw new Error("the list never ended");
}

const SHAPES: [string, ListInput][] = [
  ["the first page", {}],
  ["a search", { search: "ana gar" }],
  ["a phone search", { search: "555 01" }],
  ...PATIENT_LIST_TABS.map((status): [string, ListInput] => [`the ${status} tab`, { status }]),
  ...(["name", "lastVisit", "createdAt"] as const).flatMap((by) =>
    (["asc", "desc"] as const).map((direction): [string, ListInput] => [
      `sorting by ${by} ${direction}`,
      { sort: { by, direction } },
    ]),
  ),
  ["archived only", { archived: "only" }],
  ["archived included", { archived: "include" }],
  ["one clinic", { clinicId: 2 }],
  [
    "everything at once",
    { search: "a", status: "inactive", clinicId: 3, sort: { by: "lastVisit", direction: "desc" } },
  ],
];

describe("patients.list costs one SQL statement and writes nothing", () => {
  it.each(SHAPES)("for %s, on the first page and deep in the list", async (_name, input) => {
    const first = await owner.patients.list({ ...input, limit: 5 });
    api.statements.length = 0;
    await owner.patients.list({ ...input, limit: 5 });
    expect(api.statements).toHaveLength(1);

    if (first.nextCursor) {
      let cursor: string | null = first.nextCursor;
      for (let page = 0; page < 5 && cursor; page++) {
        cursor = (await owner.patients.list({ ...input, limit: 5, cursor })).nextCursor;
      }
      api.statements.length = 0;
      await owner.patients.list({ ...input, limit: 5, cursor });
      expect(api.statements).toHaveLength(1);
    }
    expect(api.statements.every(readsOnly)).toBe(true);
  });

  it("with the caller's values bound, never spliced into the SQL (so its shape is prepared once)", async () => {
    const first = await owner.patients.list({ search: "Zyxwq O'Brien", limit: 1 });
    const page = await owner.patients.list({ sort: { by: "name", direction: "asc" }, limit: 2 });
    api.statements.length = 0;
    await owner.patients.list({ search: "Zyxwq O'Brien", limit: 1, cursor: first.nextCursor });
    await owner.patients.list({ sort: { by: "name", direction: "asc" }, limit: 2, cursor: page.nextCursor });
    const lastNameOnPage = page.items.at(-1)?.lastName as string;
    expect(api.statements).toHaveLength(2);
    for (const sql of api.statements) {
      expect(sql).toMatch(/\$1\b/);
      expect(sql).not.toContain("Zyxwq");
      expect(sql).not.toContain(lastNameOnPage);
    }
  });

  it("for a receptionist scoped to their clinic", async () => {
    api.statements.length = 0;
    await receptionist.patients.list({ status: "active", sort: { by: "createdAt", direction: "desc" } });
    expect(api.statements).toHaveLength(1);
  });

  it("leaves every patient row untouched (no status written back)", async () => {
    const before = await api.db.sql<{ id: number; xmin: string }>("select id, xmin::text from patient order by id");
    await walk(owner, { limit: 100 });
    await walk(owner, { limit: 100, status: "inactive" });
    const after = await api.db.sql<{ id: number; xmin: string }>("select id, xmin::text from patient order by id");
    expect(after).toEqual(before);
  });
});

describe("walking the pages", () => {
  it.each(SHAPES)("yields every patient of %s exactly once, in order", async (_name, input) => {
    const all = await owner.patients.list({ ...input, limit: 100 });
    const pages = await walk(owner, { ...input, limit: 7 });
    expect(new Set(pages).size).toBe(pages.length);
    // The first 100 in one page are the first 100 of the walk: same order however it is paged.
    expect(pages.slice(0, all.items.length)).toEqual(all.items.map((item) => item.id));
  });

  it("matches what SQL says belongs to a tab", async () => {
    const now = new Date();
    const rows = await api.db.sql<{ id: number; last_visit_at: Date | null; time_zone: string }>(
      `select p.id, p.last_visit_at, c.time_zone from patient p join clinic c on c.id = p.clinic_id
        where p.archived_at is null`,
    );
    for (const status of ["active", "inactive", "new"] as const) {
      const expected = rows.filter((row) => patientStatus(row.last_visit_at, row.time_zone, now) === status);
      const served = await walk(owner, { status, limit: 100 });
      expect(
        served.sort((a, b) => a - b),
        status,
      ).toEqual(expected.map((row) => row.id).sort((a, b) => a - b));
    }
  });

  it("never repeats or skips a patient while others are created, renamed and archived between pages", async () => {
    const input: ListInput = { limit: 10, sort: { by: "name", direction: "asc" } };
    const before = await walk(owner, { ...input, limit: 100 });
    const touched = new Set<number>();
    let step = 0;
    const served = await walk(owner, input, async () => {
      step++;
      // A new patient anywhere in the order, a rename that moves someone, an archive.
      touched.add(await insertPatient({ firstName: `Nuevo ${step}`, lastName: step % 2 ? "Aaronson" : "Zúñiga" }));
      const victim = before[(step * 37) % before.length] as number;
      const renamed = before[(step * 53) % before.length] as number;
      touched.add(victim).add(renamed);
      await api.db.sql("update patient set archived_at = now() where id = $1", [victim]);
      await api.db.sql("update patient set last_name = 'Mmm' || last_name where id = $1", [renamed]);
    });
    const untouched = before.filter((id) => !touched.has(id));
    const times = new Map<number, number>();
    for (const id of served) times.set(id, (times.get(id) ?? 0) + 1);
    // Every patient nobody touched comes exactly once. A patient renamed past the cursor may come again at
    // its new place (the SPA keys rows by id); none comes a third time.
    expect(untouched.filter((id) => times.get(id) !== 1)).toEqual([]);
    expect([...times].filter(([id, count]) => count > 1 && !touched.has(id))).toEqual([]);
    expect(Math.max(...times.values())).toBeLessThanOrEqual(2);
    // Restore for the other tests.
    await api.db.sql(
      "update patient set archived_at = null where id = any($1::int[]) and first_name not like 'Nuevo%'",
      [[...touched]],
    );
  });
});

describe("the cursor is untrusted input", () => {
  const expectBadRequest = async (promise: Promise<unknown>, message: RegExp) => {
    const error = await promise.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toMatch(message);
  };

  it("refuses garbage", async () => {
    await expectBadRequest(owner.patients.list({ cursor: "not-a-cursor" }), /invalid cursor/);
    await expectBadRequest(owner.patients.list({ cursor: "A".repeat(80) }), /invalid cursor/);
  });

  it("refuses a cursor altered by a single bit", async () => {
    const { nextCursor } = await owner.patients.list({ limit: 3 });
    const bytes = Buffer.from(nextCursor as string, "base64url");
    bytes[20] = (bytes[20] as number) ^ 1;
    await expectBadRequest(owner.patients.list({ limit: 3, cursor: bytes.toString("base64url") }), /altered/);
  });

  it("refuses a cursor from a list with other filters or another order", async () => {
    const { nextCursor } = await owner.patients.list({ limit: 3 });
    await expectBadRequest(
      owner.patients.list({ limit: 3, cursor: nextCursor, sort: { by: "createdAt", direction: "asc" } }),
      /other filters or another order/,
    );
    await expectBadRequest(owner.patients.list({ limit: 3, cursor: nextCursor, status: "new" }), /other filters/);
  });

  it("answers 400 over HTTP, never 500, and without a stack trace in production", async () => {
    const url = await api.listen();
    api.services.production = true;
    try {
      const signIn = await fetch(`${url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: ACCOUNTS.owner, password: "chairside-demo", issueToken: true } }),
      });
      const token = ((await signIn.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
      const input = encodeURIComponent(JSON.stringify({ json: { cursor: "%%%garbage" } }));
      const response = await fetch(`${url}/trpc/patients.list?input=${input}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(400);
      const body = await response.text();
      expect(body).toContain("invalid cursor");
      expect(body).not.toMatch(/stack|\.ts:\d+|select /i);
    } finally {
      api.services.production = false;
    }
  });
});

describe("search", () => {
  const idsFor = async (search: string, extra: Partial<PatientListInput> = {}) =>
    (await owner.patients.list({ search, limit: 100, ...extra })).items.map((item) => item.id);

  it('finds "Ana García" from "ana gar", ignoring accents and case', async () => {
    expect(await idsFor("ana gar")).toContain(fixtures.anaGarcia);
    expect(await idsFor("ANA GARCIA")).toContain(fixtures.anaGarcia);
    expect(await idsFor("garcía, ana")).toContain(fixtures.anaGarcia);
  });

  it("lists exact name matches first, in either order", async () => {
    for (const search of ["Ana García", "garcia ana", "García, Ana"]) {
      const { items } = await owner.patients.list({ search, limit: 100 });
      const exact = items.findIndex((item) => item.id === fixtures.anaGarcia);
      expect(exact).toBeGreaterThanOrEqual(0);
      // Everything before our Ana García is also exactly an "Ana García".
      for (const item of items.slice(0, exact)) expect(`${item.firstName} ${item.lastName}`).toMatch(/^Ana Garc[ií]a$/);
      expect(items.some((item) => item.id === fixtures.anabelGarces)).toBe(false);
    }
  });

  it("matches every term somewhere in the name", async () => {
    const found = await idsFor("ana gar");
    expect(found).toEqual(
      expect.arrayContaining([fixtures.anaGarcia, fixtures.anabelGarces, fixtures.marianaGargallo]),
    );
    const { items } = await owner.patients.list({ search: "ana gar", limit: 100 });
    const plain = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    for (const item of items) {
      const haystack = plain(`${item.firstName} ${item.lastName} ${item.email ?? ""}`);
      expect(haystack).toContain("ana");
      expect(haystack).toContain("gar");
    }
  });

  it("finds by email and by phone digits whatever the formatting", async () => {
    expect(await idsFor("ana.garcia@example")).toContain(fixtures.anaGarcia);
    expect(await idsFor("555 01")).toContain(fixtures.anaGarcia);
    expect(await idsFor("(555) 0123")).toContain(fixtures.anaGarcia);
    expect(await idsFor("5550123")).toContain(fixtures.anaGarcia);
  });

  it("treats LIKE wildcards as plain characters", async () => {
    expect(await idsFor("%")).toEqual([]);
    const { items } = await owner.patients.list({ search: "_", limit: 100 });
    expect(items.length).toBeLessThan(100); // "_" is not "any character"...
    for (const item of items) expect(item.email).toContain("_"); // ...it is an underscore, as in some emails
  });

  it("searches beyond the first page and within filters", async () => {
    expect(await idsFor("Ångström")).toContain(fixtures.zoeInClinic2);
    expect(await idsFor("Ångström", { clinicId: 1 })).not.toContain(fixtures.zoeInClinic2);
  });
});

describe("search order", () => {
  type Sort = NonNullable<ListInput["sort"]>;
  const SORT_SQL: Record<Sort["by"], string[]> = {
    name: ["p.search_last_name", "p.search_first_name"],
    lastVisit: ["coalesce(p.last_visit_at, '-infinity')"],
    createdAt: ["p.created_at"],
  };

  /** Every match in the order the list promises, stated as one ranking expression rather than in ranges. */
  async function rankedMatches(search: string, sort: Sort): Promise<number[]> {
    const terms = search.split(/[\s,]+/).filter(Boolean);
    const direction = sort.direction === "desc" ? "desc" : "asc";
    const keys = `${SORT_SQL[sort.by].map((key) => `${key} ${direction}`).join(", ")}, p.id ${direction}`;
    const rows = await api.db.sql<{ id: number }>(
      `select p.id from patient p
        where p.archived_at is null
          and ${terms.map((_, i) => `p.search_text like '%' || search_normalize($${i + 3}) || '%'`).join(" and ")}
        order by case
          when p.search_first_name || ' ' || p.search_last_name = search_normalize($1)
            or p.search_last_name || ' ' || p.search_first_name = search_normalize($1) then 0
          when p.search_last_name like search_normalize($2) || '%'
            or p.search_first_name like search_normalize($2) || '%' then 1
          else 2 end, ${keys}`,
      [terms.join(" "), terms[0], ...terms],
    );
    return rows.map((row) => row.id);
  }

  it.each([
    ["ana", { by: "name", direction: "asc" }],
    ["ana gar", { by: "name", direction: "asc" }],
    ["Ana García", { by: "name", direction: "desc" }],
    ["garcia, ana", { by: "lastVisit", direction: "desc" }],
    ["ma", { by: "createdAt", direction: "asc" }],
    ["a", { by: "name", direction: "desc" }],
  ] as [string, Sort][])(
    "%s, by %o: exact names, then names starting with the first term, then the rest",
    async (search, sort) => {
      const expected = await rankedMatches(search, sort);
      expect(expected.length).toBeGreaterThan(3);
      // Small pages, so the walk crosses from one rank to the next within a page and between pages.
      expect(await walk(owner, { search, sort, limit: 3 })).toEqual(expected);
    },
  );

  it("reads a broad search's first page from its best rank, without touching the other matches", async () => {
    const [common] = await api.db.sql<{ name: string; count: string }>(
      `select search_last_name as name, count(*) from patient where archived_at is null
        group by 1 order by count(*) desc, 1 limit 1`,
    );
    expect(Number(common?.count)).toBeGreaterThan(3);
    const plan = await planOf(() => owner.patients.list({ search: common?.name, limit: 2 }), { analyze: true });
    const ranks = findNode(plan, "Append");
    // The name-prefix rank, then every other match (its two ways, few or many): only the first is read.
    const [best, ...others] = ranks?.Plans?.map((branch) => branch["Actual Loops"]) ?? [];
    expect(best).toBe(1);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((loops) => loops === 0)).toBe(true);
  });
});

describe("status tabs by last visit", () => {
  it.each([
    ["inactive", "desc", "<"],
    ["active", "asc", ">="],
  ] as const)(
    "read the %s tab (%s) as one index range, with clinics in different time zones",
    async (status, direction, bound) => {
      const zones = await api.db.sql<{ zones: string }>("select count(distinct time_zone) as zones from clinic");
      expect(Number(zones[0]?.zones)).toBeGreaterThan(1);
      const plan = await planOf(() => owner.patients.list({ status, sort: { by: "lastVisit", direction }, limit: 5 }));
      const scan = findNode(plan, "Index Scan");
      expect(scan?.["Index Name"]).toBe("patient_last_visit_idx");
      expect(scan?.["Index Cond"]).toContain(`${bound} '`);
    },
  );
});

interface PlanNode {
  "Node Type": string;
  "Actual Loops"?: number;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

/** The plan of the one statement a call sends, for the values it bound (run too, with `analyze`), with these
 *  planner settings. */
async function planOf(
  call: () => Promise<unknown>,
  { analyze = false, settings = {} }: { analyze?: boolean; settings?: Record<string, string> } = {},
): Promise<PlanNode | undefined> {
  api.statements.length = 0;
  api.values.length = 0;
  await call();
  expect(api.statements).toHaveLength(1);
  const [explained] = await api.db.sqlWithSettings<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
    settings,
    `explain (${analyze ? "analyze, " : ""}format json) ${api.statements[0]}`,
    api.values[0],
  );
  return explained?.["QUERY PLAN"][0].Plan;
}

function findNode(node: PlanNode | undefined, type: string): PlanNode | undefined {
  if (!node || node["Node Type"] === type) return node;
  for (const child of node.Plans ?? []) {
    const found = findNode(child, type);
    if (found) return found;
  }
  return undefined;
}

describe("clinic scope", () => {
  it("shows a receptionist only their clinic's patients", async () => {
    const ids = await walk(receptionist, { limit: 100 });
    const [{ count } = { count: "0" }] = await api.db.sql<{ count: string }>(
      "select count(*) from patient where clinic_id = 1 and archived_at is null",
    );
    expect(ids).toHaveLength(Number(count));
    expect(await idsForCaller(receptionist, "Ångström")).toEqual([]);
    expect((await receptionist.patients.list({ clinicId: 2 })).items).toEqual([]);
  });

  async function idsForCaller(caller: Caller, search: string) {
    return (await caller.patients.list({ search })).items.map((item) => item.id);
  }
});

describe("list items", () => {
  it("carry what the list shows, with the last visit populated in the same statement", async () => {
    const { items } = await owner.patients.list({ status: "active", limit: 20 });
    const now = new Date();
    for (const item of items) {
      const [row] = await api.db.sql<{
        starts_at: Date;
        service: string;
        dentist: string;
        time_zone: string;
        clinic_id: number;
        birthday: string | null;
      }>(
        `select a.starts_at, s.name as service, d.name as dentist, c.time_zone, c.id as clinic_id,
                to_char(p.birthday, 'YYYY-MM-DD') as birthday
           from patient p join clinic c on c.id = p.clinic_id
           join appointment a on a.id = p.last_visit_id join service s on s.id = a.service_id
           join staff_member d on d.id = a.dentist_id where p.id = $1`,
        [item.id],
      );
      expect(row).toBeDefined();
      expect(item.lastVisit).toEqual({
        on: localDate(row?.starts_at as Date, row?.time_zone as string),
        service: row?.service,
        dentist: row?.dentist,
      });
      expect(item.status).toBe(patientStatus(row?.starts_at, row?.time_zone as string, now));
      expect(item.clinicId).toBe(row?.clinic_id);
      // The date of birth tells namesakes apart.
      expect(item.birthday).toBe(row?.birthday);
    }
  });

  it("stay small: a 50-row page is well under 15 KB of JSON", async () => {
    const page = await owner.patients.list({ limit: 50 });
    expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThan(15_000);
  });
});

describe("the alert badge", () => {
  it("carries each row's current alert kinds, most urgent first, each once, in the page's one statement", async () => {
    const patient = fixtures.anaGarcia as number;
    await api.db.sql("delete from medical_alert where patient_id = $1", [patient]);
    await api.db.sql(
      `insert into medical_alert (patient_id, kind, text, noted_at, noted_by_id, removed_at, removed_by_id)
       values ($1, 'condition', 'Asthma', now(), 2, null, null), ($1, 'allergy', 'Latex', now(), 2, null, null),
              ($1, 'allergy', 'Penicillin', now(), 2, null, null), ($1, 'premedication', 'Inhaler', now(), 2, now(), 2)`,
      [patient],
    );
    api.statements.length = 0;
    const { items } = await owner.patients.list({ search: "ana garcía", limit: 5 });
    expect(api.statements).toHaveLength(1);
    expect(items.find((item) => item.id === patient)?.alertKinds).toEqual(["allergy", "condition"]);
    const kinds = await api.db.sql<{ id: number; kinds: string[] | null }>(
      "select p.id, array(select distinct kind from medical_alert a where a.patient_id = p.id and a.removed_at is null) as kinds from patient p where p.id = any($1)",
      [items.map((item) => item.id)],
    );
    for (const item of items) {
      expect(new Set(item.alertKinds)).toEqual(new Set(kinds.find((row) => row.id === item.id)?.kinds));
    }
  });

  it.each([
    ["the first page", {}],
    ["a search", { search: "ana gar" }],
    ["the inactive tab by last visit", { status: "inactive", sort: { by: "lastVisit", direction: "desc" } }],
  ] as [string, ListInput][])(
    "reads %s's alert kinds from medical_alert_patient_idx, with no sequential scan anywhere",
    async (_name, input) => {
      const plan = await planOf(() => owner.patients.list({ ...input, limit: 20 }), {
        analyze: true,
        settings: { enable_seqscan: "off" },
      });
      const scans = scansOf(plan);
      expect(scans.filter((scan) => scan["Node Type"] === "Seq Scan")).toEqual([]);
      const alertScans = scans.filter((scan) => scan["Relation Name"] === "medical_alert");
      expect(alertScans.length).toBeGreaterThan(0);
      for (const scan of alertScans) expect(scan["Index Name"]).toBe("medical_alert_patient_idx");
    },
  );
});

describe("patients.counts", () => {
  it("counts each tab as the list would show it, in one statement", async () => {
    for (const filters of [{}, { search: "ana" }, { clinicId: 2 }]) {
      api.statements.length = 0;
      const counts = await owner.patients.counts(filters);
      expect(api.statements).toHaveLength(1);
      for (const tab of ["active", "inactive", "new"] as const) {
        expect((await walk(owner, { ...filters, status: tab, limit: 100 })).length, tab).toBe(counts[tab]);
      }
      expect((await walk(owner, { ...filters, limit: 100 })).length).toBe(counts.all);
      expect((await walk(owner, { ...filters, archived: "only", limit: 100 })).length).toBe(counts.archived);
    }
  });

  it.each([{}, { clinicId: 2 }])(
    "without a search, add up the tallies, never reading a patient row (%j)",
    async (filters) => {
      const plan = await planOf(() => owner.patients.counts(filters), {
        settings: { enable_seqscan: "off", enable_bitmapscan: "off" },
      });
      const scans = scansOf(plan);
      expect(scans.length).toBeGreaterThan(0);
      expect(new Set(scans.map((scan) => scan["Relation Name"]))).toEqual(new Set(["patient_tally"]));
    },
  );
});

/** Every node of a plan that reads a table or an index. */
function scansOf(node: PlanNode | undefined): PlanNode[] {
  if (!node) return [];
  const own = /Scan$/.test(node["Node Type"]) && node["Node Type"] !== "Subquery Scan" ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scansOf)];
}
