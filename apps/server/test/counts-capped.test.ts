// A search's tab counts are exact up to SEARCH_COUNT_CAP matches and say "at least" past it, reading each rank of
// the search the way the list reads it, so that counting a common surname stops at the cap instead of reading
// every match.
import { SEARCH_COUNT_CAP } from "@chairside/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type Caller, createTestApi, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
const ARCHIVED = 30;

beforeAll(async () => {
  api = await createTestApi({ patients: 40 });
  owner = await api.as(ACCOUNTS.owner);
  // More patients called Capella than the cap, never seen (so "new"), a few archived; and two Capellini.
  await api.db.sql(
    `insert into patient (first_name, last_name, clinic_id, created_at, updated_at, archived_at)
     select 'First' || n, 'Capella', 1 + n % 3, now(), now(), case when n <= $2 then now() end
       from generate_series(1, $1::int) as n`,
    [SEARCH_COUNT_CAP + 80 + ARCHIVED, ARCHIVED],
  );
  await api.db.sql(
    `insert into patient (first_name, last_name, clinic_id, created_at, updated_at)
     values ('Ana', 'Capellini', 1, now(), now()), ('Zed', 'Capellini', 2, now(), now())`,
  );
  await api.db.sql("analyze patient");
});
afterAll(() => api.close());

interface PlanNode {
  "Node Type": string;
  "Actual Loops"?: number;
  "Actual Rows"?: number;
  "Subplan Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

describe("a search's tab counts", () => {
  it(`are exact up to ${SEARCH_COUNT_CAP.toLocaleString("en-US")} matches and lower bounds past it`, async () => {
    const counts = await owner.patients.counts({ search: "capella" });
    expect(counts).toEqual({
      all: SEARCH_COUNT_CAP,
      active: 0,
      inactive: 0,
      new: SEARCH_COUNT_CAP,
      archived: ARCHIVED,
      atLeast: { all: true, active: true, inactive: true, new: true, archived: false },
    });
  });

  it("leave the counts without a search exact, however many patients there are", async () => {
    const [expected] = await api.db.sql<Record<"all" | "archived", string>>(
      `select count(*) filter (where archived_at is null) as all, count(*) filter (where archived_at is not null) as archived
         from patient`,
    );
    const counts = await owner.patients.counts({});
    expect(counts.all).toBeGreaterThan(SEARCH_COUNT_CAP);
    expect(counts).toMatchObject({ all: Number(expected?.all), archived: Number(expected?.archived) });
    expect(Object.values(counts.atLeast)).toEqual([false, false, false, false, false]);
  });

  it("are exact for a narrower search, as the list shows it", async () => {
    const counts = await owner.patients.counts({ search: "capellini" });
    const listed = await owner.patients.list({ search: "capellini", limit: 100 });
    expect(counts).toMatchObject({ all: 2, new: 2, archived: 0, atLeast: { all: false } });
    expect(listed.items).toHaveLength(2);
  });

  it("are counted by the list's ranks, in one statement, and stop at the cap", async () => {
    api.statements.length = 0;
    api.values.length = 0;
    await owner.patients.counts({ search: "capella" });
    expect(api.statements).toHaveLength(1);
    const [explained] = await api.db.sql<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      `explain (analyze, format json) ${api.statements[0]}`,
      api.values[0],
    );
    const plan = explained?.["QUERY PLAN"][0].Plan;
    // The patients who are not archived: the last-name-prefix rank fills the cap, so the ranks after it (first
    // names, then every other match) are never read, and no more than the cap and one row come out.
    const ranks = findAll(plan, "Append").find((append) => (append["Actual Rows"] ?? 0) > ARCHIVED);
    expect(ranks?.Plans?.map((rank) => rank["Actual Loops"])).toEqual([1, 0, 0]);
    expect(ranks?.["Actual Rows"]).toBeLessThanOrEqual(SEARCH_COUNT_CAP + 1);
  });
});

describe("a phone search's tab counts", () => {
  beforeAll(async () => {
    // More patients whose phones start with the same digits than the cap, stored in two formats.
    await api.db.sql(
      `insert into patient (first_name, last_name, phone, clinic_id, created_at, updated_at)
       select 'Dial' || n, 'Tone', case when n % 2 = 0 then '(917) 555-' else '+1 917.555.' end || lpad(n::text, 4, '0'),
              1 + n % 3, now(), now()
         from generate_series(1, $1::int) as n`,
      [SEARCH_COUNT_CAP + 50],
    );
    await api.db.sql("analyze patient");
  });

  it("read the phones starting with the digits as one ordered range, and stop at the cap", async () => {
    api.statements.length = 0;
    api.values.length = 0;
    const counts = await owner.patients.counts({ search: "+1 (917) 555" });
    expect(counts).toMatchObject({ all: SEARCH_COUNT_CAP, new: SEARCH_COUNT_CAP, atLeast: { all: true } });
    expect(api.statements).toHaveLength(1);
    const [explained] = await api.db.sql<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      `explain (analyze, format json) ${api.statements[0]}`,
      api.values[0],
    );
    const plan = explained?.["QUERY PLAN"][0].Plan;
    // Phones starting with the digits fill the cap; the digits anywhere are never read.
    const ranks = findAll(plan, "Append").find((append) => (append["Actual Rows"] ?? 0) > SEARCH_COUNT_CAP);
    expect(ranks?.Plans?.map((rank) => rank["Actual Loops"])).toEqual([1, 0]);
    expect(findAll(plan, "Index Scan").map((scan) => scan["Index Name"])).toContain("patient_phone_digits_idx");
  });
});

function findAll(node: PlanNode | undefined, type: string): PlanNode[] {
  if (!node) return [];
  return [
    ...(node["Node Type"] === type ? [node] : []),
    ...(node.Plans ?? []).flatMap((child) => findAll(child, type)),
  ];
}
