// recall.list: a clinic's patients due for recall (clinic-rules.ts), overdue first, one statement per page,
// audited per page, for the clinic's own staff only.
import {
  addMonths,
  type CalendarDate,
  clinicDay,
  daysOverdue,
  dueForRecall,
  recallDueOn,
  startOfLocalDay,
} from "@chairside/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import type { RouterInputs } from "../src/index.ts";
import { ACCOUNTS, type Caller, createTestApi, failure, type TestApi } from "./harness.ts";

type RecallInput = RouterInputs["recall"]["list"];

let api: TestApi;
let owner: Caller;
let receptionist: Caller;
let dentist: Caller;
let timeZone: string;
let today: CalendarDate;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  api = await createTestApi({ patients: 300, audit: { flushIntervalMs: 600_000 } });
  owner = await api.as(ACCOUNTS.owner);
  receptionist = await api.as(ACCOUNTS.receptionist);
  dentist = await api.as(ACCOUNTS.dentist);
  const [clinic] = await api.db.sql<{ time_zone: string }>("select time_zone from clinic where id = 1");
  timeZone = clinic?.time_zone as string;
  today = clinicDay(timeZone).today;
  await receptionist.recall.list({ clinicId: 1 }); // signs the session into the cache
});
afterAll(() => api.close());

/** Noon on a date in clinic 1's time zone. */
const noonOn = (date: CalendarDate) => new Date(startOfLocalDay(date, timeZone).getTime() + 12 * 3_600_000);

let surnames = 0;
/** A patient of clinic 1 with a completed visit on `lastVisitOn` (none when null). */
async function patient(lastVisitOn: CalendarDate | null, interval = 6, clinicId = 1): Promise<number> {
  const [row] = await api.db.sql<{ id: number }>(
    `insert into patient (first_name, last_name, clinic_id, recall_interval_months, created_at, updated_at)
     values ('Rita', $1, $2, $3, now() - interval '3 years', now()) returning id`,
    [`Recall${++surnames}`, clinicId, interval],
  );
  const id = (row as { id: number }).id;
  if (lastVisitOn) await visit(id, noonOn(lastVisitOn), "completed");
  return id;
}

async function visit(patientId: number, startsAt: Date, status: string): Promise<number> {
  const [row] = await api.db.sql<{ id: number }>(
    `insert into appointment (patient_id, dentist_id, service_id, clinic_id, starts_at, status, completed_at, notes, created_at, updated_at)
     select p.id, a.dentist_id, a.service_id, p.clinic_id, $2, $3, case when $3 = 'completed' then $2::timestamptz end, '', now(), now()
       from patient p, lateral (select dentist_id, service_id from appointment where clinic_id = p.clinic_id limit 1) a
      where p.id = $1 returning id`,
    [patientId, startsAt, status],
  );
  return (row as { id: number }).id;
}

/** A last-visit date whose recall, `interval` months later, falls due on `dueOn` exactly. */
function visitDueOn(dueOn: CalendarDate): { on: CalendarDate; interval: number } {
  for (let interval = 1; interval <= 24; interval++) {
    const on = addMonths(dueOn, -interval);
    if (addMonths(on, interval) === dueOn) return { on, interval };
  }
  throw new Error(`no visit falls due on ${dueOn}`);
}

type WalkedRow = { id: number; dueOn: string; overdueDays: number; pages: number };
async function walk(caller: Caller, input: RecallInput): Promise<WalkedRow[]> {
  const rows: WalkedRow[] = [];
  let cursor: string | null = null;
  for (let pages = 1; pages < 1_000; pages++) {
    const page: Awaited<ReturnType<Caller["recall"]["list"]>> = await caller.recall.list({ ...input, cursor });
    rows.push(
      ...page.items.map((item) => ({
        id: item.id,
        dueOn: item.recall.dueOn,
        overdueDays: item.recall.overdueDays,
        pages,
      })),
    );
    if (!page.nextCursor) return rows;
    cursor = page.nextCursor;
  }
  throw new Error("the list never ended");
}
const idsOf = async (caller: Caller, input: RecallInput) => (await walk(caller, input)).map((row) => row.id);

/** The clinic's recall list by the rule in TypeScript, from the rows themselves. */
async function dueByTheRule(clinicId: number): Promise<number[]> {
  const rows = await api.db.sql<{
    id: number;
    last_visit_at: Date | null;
    recall_interval_months: number;
    archived: boolean;
    booked: boolean;
    time_zone: string;
  }>(
    `select p.id, p.last_visit_at, p.recall_interval_months, p.archived_at is not null as archived, c.time_zone,
            exists (select 1 from appointment a where a.patient_id = p.id and a.starts_at > now()
                      and a.status not in ('cancelled', 'cancel_requested', 'completed', 'missed')) as booked
       from patient p join clinic c on c.id = p.clinic_id where p.clinic_id = $1`,
    [clinicId],
  );
  return rows
    .map((row) => {
      const day = clinicDay(row.time_zone).today;
      const due = recallDueOn(row.last_visit_at, row.recall_interval_months, row.time_zone);
      return { id: row.id, due, listed: dueForRecall({ recallDueOn: due, ...row }, day) };
    })
    .filter((row) => row.listed)
    .sort((a, b) => (a.due as string).localeCompare(b.due as string) || a.id - b.id)
    .map((row) => row.id);
}

describe("the due rule", () => {
  it("lists a patient whose recall falls due today, 0 days overdue, and not one due tomorrow", async () => {
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    const dueToday = visitDueOn(today);
    const dueTomorrow = visitDueOn(tomorrow);
    const ids = [await patient(dueToday.on, dueToday.interval), await patient(dueTomorrow.on, dueTomorrow.interval)];
    const rows = await walk(receptionist, { clinicId: 1, limit: 100 });
    expect(rows.filter((row) => ids.includes(row.id)).map((row) => [row.id, row.dueOn])).toEqual([[ids[0], today]]);
    // Due today is the end of the list: everyone else listed is more overdue.
    expect(rows.at(-1)?.dueOn).toBe(today);
    expect(rows.at(-1)?.overdueDays).toBe(0);
  });

  it("says how overdue each patient is, overdue first", async () => {
    const longAgo = await patient(addMonths(today, -30), 6);
    const { items } = await receptionist.recall.list({ clinicId: 1, limit: 100 });
    const row = items.find((item) => item.id === longAgo);
    expect(row?.recall).toEqual({
      dueOn: addMonths(today, -24),
      overdueDays: daysOverdue(addMonths(today, -24), today),
      intervalMonths: 6,
    });
    const dues = items.map((item) => item.recall.dueOn);
    expect(dues).toEqual([...dues].sort());
    expect(items.every((item) => item.recall.overdueDays >= 0 && item.lastVisit !== null)).toBe(true);
  });

  it("leaves out a patient with a visit booked from now on, and lists them again once it is cancelled", async () => {
    const id = await patient(addMonths(today, -9));
    expect(await idsOf(receptionist, { clinicId: 1 })).toContain(id);
    const booking = await visit(id, new Date(Date.now() + 7 * DAY_MS), "pending");
    expect(await idsOf(receptionist, { clinicId: 1 })).not.toContain(id);
    await owner.appointments.setStatus({ id: booking, status: "cancelled" });
    expect(await idsOf(receptionist, { clinicId: 1 })).toContain(id);
    // A booking that already took place (but was never closed) does not hold a recall back.
    await visit(id, new Date(Date.now() - 7 * DAY_MS), "confirmed");
    expect(await idsOf(receptionist, { clinicId: 1 })).toContain(id);
  });

  it("takes a patient off once their visit is completed: the next recall is months away", async () => {
    const id = await patient(addMonths(today, -7));
    expect(await idsOf(receptionist, { clinicId: 1 })).toContain(id);
    const booking = await visit(id, new Date(Date.now() - 3_600_000), "confirmed");
    await owner.appointments.setStatus({ id: booking, status: "completed" });
    expect(await idsOf(receptionist, { clinicId: 1 })).not.toContain(id);
  });

  it("never lists an archived patient, nor one never seen (new)", async () => {
    const archived = await patient(addMonths(today, -12));
    await owner.patients.archive({ id: archived });
    const fresh = await patient(null);
    const ids = await idsOf(receptionist, { clinicId: 1 });
    expect(ids).not.toContain(archived);
    expect(ids).not.toContain(fresh);
  });

  it("moves the due date when the interval is edited", async () => {
    const lastVisitOn = addMonths(today, -4);
    const id = await patient(lastVisitOn, 6);
    expect(await idsOf(receptionist, { clinicId: 1 })).not.toContain(id);
    const record = await receptionist.patients.byId({ id });
    expect(record).toMatchObject({ recallIntervalMonths: 6, recallDueOn: addMonths(lastVisitOn, 6) });
    const saved = await receptionist.patients.update({ id, version: record.version, recallIntervalMonths: 3 });
    expect(saved.recallDueOn).toBe(addMonths(lastVisitOn, 3));
    const listed = (await walk(receptionist, { clinicId: 1 })).find((row) => row.id === id);
    expect(listed?.dueOn).toBe(addMonths(lastVisitOn, 3));
  });

  it("lists exactly the patients the rule says are due, in its order", async () => {
    for (const clinicId of [1, 2, 3]) {
      const expected = await dueByTheRule(clinicId);
      expect(expected.length, `clinic ${clinicId}`).toBeGreaterThan(5);
      expect(await idsOf(owner, { clinicId, limit: 7 })).toEqual(expected);
    }
  });
});

describe("recall intervals", () => {
  it("default to 6 months and are set per patient at registration", async () => {
    const plain = await receptionist.patients.create({ firstName: "Ivo", lastName: "Default", clinicId: 1 });
    expect(plain.recallIntervalMonths).toBe(6);
    const yearly = await receptionist.patients.create({
      firstName: "Ivo",
      lastName: "Yearly",
      clinicId: 1,
      recallIntervalMonths: 12,
    });
    expect(yearly).toMatchObject({ recallIntervalMonths: 12, recallDueOn: null });
  });

  it.each([0, 25, 6.5, Number.NaN, "6"])("refuses %s months with a field issue", async (months) => {
    const refused = await failure(
      receptionist.patients.create({
        firstName: "Ivo",
        lastName: "Refused",
        clinicId: 1,
        recallIntervalMonths: months as number,
      }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    const issues = (refused.cause as ZodError).flatten().fieldErrors as Record<string, string[]>;
    expect(Object.keys(issues)).toEqual(["recallIntervalMonths"]);
    expect(issues.recallIntervalMonths?.[0]).toMatch(/month/);
  });
});

describe("recall.list", () => {
  it("pages without repeating or skipping a patient, one SQL statement per page", async () => {
    const whole = await idsOf(receptionist, { clinicId: 1, limit: 100 });
    expect(whole.length).toBeGreaterThan(10);
    expect(new Set(whole).size).toBe(whole.length);
    let cursor: string | null = null;
    const paged: number[] = [];
    do {
      api.statements.length = 0;
      const page: Awaited<ReturnType<Caller["recall"]["list"]>> = await receptionist.recall.list({
        clinicId: 1,
        limit: 4,
        cursor,
      });
      expect(api.statements).toHaveLength(1);
      expect(api.statements[0]).toMatch(/^\s*select\b/i);
      paged.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(whole);
  });

  it("reads one index range of patient_recall_due_idx, never scanning every patient", async () => {
    const first = await receptionist.recall.list({ clinicId: 1, limit: 3 });
    for (const cursor of [null, first.nextCursor]) {
      api.statements.length = 0;
      api.values.length = 0;
      await receptionist.recall.list({ clinicId: 1, limit: 3, cursor });
      expect(api.statements).toHaveLength(1);
      const [explained] = await api.db.sql<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        `explain (format json) ${api.statements[0]}`,
        api.values[0],
      );
      const plan = explained?.["QUERY PLAN"][0].Plan;
      const patientScans = nodes(plan).filter((node) => node["Relation Name"] === "patient");
      expect(patientScans.map((node) => [node["Node Type"], node["Index Name"]])).toEqual([
        ["Index Scan", "patient_recall_due_idx"],
      ]);
      // The rows' alert badges read medical_alert_patient_idx wherever an index can serve (the test data's tables
      // are small enough that, left to itself, the planner scans them whole).
      const [forced] = await api.db.sqlWithSettings<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        { enable_seqscan: "off" },
        `explain (format json) ${api.statements[0]}`,
        api.values[0],
      );
      const seqScans = nodes(forced?.["QUERY PLAN"][0].Plan).filter((node) => node["Node Type"] === "Seq Scan");
      expect(seqScans.map((node) => node["Relation Name"]).filter((name) => name !== "clinic")).toEqual([]);
    }
  });

  it("refuses bad input with field issues", async () => {
    const cases: [unknown, string][] = [
      [{ clinicId: "one" }, "clinicId"],
      [{}, "clinicId"],
      [{ clinicId: 1, limit: 0 }, "limit"],
      [{ clinicId: 1, limit: 101 }, "limit"],
    ];
    for (const [input, field] of cases) {
      const refused = await failure(receptionist.recall.list(input as RecallInput));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(Object.keys((refused.cause as ZodError).flatten().fieldErrors)).toEqual([field]);
    }
    const forged = await failure(receptionist.recall.list({ clinicId: 1, cursor: "bm90IGEgY3Vyc29y" }));
    expect(forged.code).toBe("BAD_REQUEST");
    const listCursor = (await owner.patients.list({ limit: 1 })).nextCursor;
    const foreign = await failure(owner.recall.list({ clinicId: 1, cursor: listCursor }));
    expect(foreign.message).toMatch(/invalid cursor/);
    const firstOfClinic1 = (await owner.recall.list({ clinicId: 1, limit: 1 })).nextCursor;
    expect((await failure(owner.recall.list({ clinicId: 2, cursor: firstOfClinic1 }))).code).toBe("BAD_REQUEST");
  });

  it("is another clinic's list: FORBIDDEN to staff who do not work there; a clinic that does not exist is NOT_FOUND", async () => {
    expect((await failure(receptionist.recall.list({ clinicId: 2 }))).code).toBe("FORBIDDEN");
    expect((await failure(dentist.recall.list({ clinicId: 2 }))).code).toBe("FORBIDDEN");
    expect((await failure(owner.recall.list({ clinicId: 999 }))).code).toBe("NOT_FOUND");
    expect((await owner.recall.list({ clinicId: 2 })).items.length).toBeGreaterThan(0);
  });

  it("needs a signed-in caller; dentists may read it but not export it", async () => {
    expect((await failure(api.anonymous.recall.list({ clinicId: 1 }))).code).toBe("UNAUTHORIZED");
    expect((await dentist.recall.list({ clinicId: 1 })).items.length).toBeGreaterThan(0);
    expect((await failure(dentist.recall.export({ clinicId: 1 }))).code).toBe("FORBIDDEN");
  });

  it("writes one audit entry per page, naming the patients it showed", async () => {
    await api.auditWriter.flush();
    const [mark] = await api.db.sql<{ id: string }>("select coalesce(max(id), 0)::text as id from audit_entry");
    const rows = await walk(receptionist, { clinicId: 1, limit: 5 });
    await api.auditWriter.flush();
    const entries = await api.db.sql<{ action: string; clinic_id: number; details: { patients: number[] } }>(
      "select action, clinic_id, details from audit_entry where id > $1::bigint order by id",
      [mark?.id],
    );
    const pages = rows.at(-1)?.pages ?? 0;
    expect(entries).toHaveLength(pages);
    expect(entries.every((entry) => entry.action === "recall.list" && entry.clinic_id === 1)).toBe(true);
    expect(entries.flatMap((entry) => entry.details.patients)).toEqual(rows.map((row) => row.id));
  });
});

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}
function nodes(node: PlanNode | undefined): PlanNode[] {
  return node ? [node, ...(node.Plans ?? []).flatMap(nodes)] : [];
}
