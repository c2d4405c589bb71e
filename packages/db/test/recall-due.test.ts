// The stored recall date (Patient.recallDueOn, kept by the `recall_due` trigger) against the rule in TypeScript
// (clinic-rules.ts), after completions, cancellations, moves, interval edits and a clinic's new time zone.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMonths, dueForRecall, recallDueOn } from "../src/clinic-rules.ts";
import { seedDatabase } from "../src/seed/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDatabase(db.url, { patients: 150, seed: 3, today: "2026-06-15" });
});
afterAll(() => db.drop());

interface PatientRecall {
  id: number;
  last_visit_at: Date | null;
  recall_interval_months: number;
  time_zone: string;
  recall_due_on: string | null;
}

/** Every patient's stored recall date beside the one the TypeScript rule gives. */
async function storedAndRuled() {
  const rows = await db.sql<PatientRecall>(
    `select p.id, p.last_visit_at, p.recall_interval_months, c.time_zone, p.recall_due_on::text as recall_due_on
       from patient p join clinic c on c.id = p.clinic_id order by p.id`,
  );
  return {
    stored: rows.map((row) => [row.id, row.recall_due_on]),
    ruled: rows.map((row) => [row.id, recallDueOn(row.last_visit_at, row.recall_interval_months, row.time_zone)]),
  };
}

function randomFrom(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}

describe("the recall date", () => {
  it("is the rule's after the seed's bulk load, with the seeded intervals", async () => {
    const { stored, ruled } = await storedAndRuled();
    expect(stored).toEqual(ruled);
    const intervals = await db.sql<{ months: number }>(
      "select distinct recall_interval_months as months from patient order by 1",
    );
    expect(intervals.map((row) => row.months)).toEqual([3, 6, 12]);
    expect(stored.filter(([, due]) => due !== null).length).toBeGreaterThan(100);
  });

  it("stays the rule's after concurrent completions, cancellations, moves, interval edits and clinic changes", async () => {
    const appointments = (await db.sql<{ id: number }>("select id from appointment order by id")).map((row) => row.id);
    const patients = (await db.sql<{ id: number }>("select id from patient order by id")).map((row) => row.id);
    const pick = <T>(items: readonly T[], random: (below: number) => number) => items[random(items.length)] as T;
    const changes: ((random: (below: number) => number) => [string, unknown[]])[] = [
      (random) => [
        "update appointment set status = $1, completed_at = case when $1 = 'completed' then now() end where id = $2",
        [pick(["completed", "cancelled", "confirmed", "missed"], random), pick(appointments, random)],
      ],
      (random) => [
        "update appointment set starts_at = starts_at + ($1 || ' hours')::interval where id = $2",
        [String(random(20_000) - 10_000), pick(appointments, random)],
      ],
      (random) => [
        "update patient set recall_interval_months = $1 where id = $2",
        [1 + random(24), pick(patients, random)],
      ],
      (random) => ["update patient set clinic_id = $1 where id = $2", [1 + random(3), pick(patients, random)]],
      // A value written by anyone else is replaced by the rule's.
      (random) => ["update patient set recall_due_on = '2001-01-01' where id = $1", [pick(patients, random)]],
      (random) => ["delete from appointment where id = $1", [pick(appointments, random)]],
    ];
    const desk = async (seed: number) => {
      const random = randomFrom(seed);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        for (let round = 0; round < 60; round++) {
          const [text, values] = pick(changes, random)(random);
          await client.query(text, values);
        }
      } finally {
        await client.end();
      }
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, index) => desk(index + 1)));
    expect(
      outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => String(outcome.reason)),
    ).toEqual([]);
    const { stored, ruled } = await storedAndRuled();
    expect(stored).toEqual(ruled);
  });

  it("follows a clinic's new time zone", async () => {
    // Far enough east that evening visits in New York fall on the next day there.
    const [before] = await db.sql<{ zone: string }>("select time_zone as zone from clinic where id = 1");
    await db.sql("update clinic set time_zone = 'Pacific/Kiritimati' where id = 1");
    try {
      const { stored, ruled } = await storedAndRuled();
      expect(stored).toEqual(ruled);
    } finally {
      await db.sql("update clinic set time_zone = $1 where id = 1", [before?.zone]);
    }
    const { stored, ruled } = await storedAndRuled();
    expect(stored).toEqual(ruled);
  });

  it("adds months as PostgreSQL does, ending short months on their last day", async () => {
    const cases: [string, number][] = [
      ["2026-08-31", 6],
      ["2027-08-31", 6],
      ["2026-01-31", 1],
      ["2028-01-31", 1],
      ["2026-03-31", 3],
      ["2026-12-15", 1],
      ["2026-12-31", 24],
      ["2024-02-29", 12],
      ["2026-06-15", 6],
    ];
    const rows = await db.sql<{ due: string }>(
      `select (d::date + make_interval(months => m))::date::text as due
         from unnest($1::text[], $2::int[]) with ordinality as t(d, m, n) order by n`,
      [cases.map(([date]) => date), cases.map(([, months]) => months)],
    );
    expect(cases.map(([date, months]) => addMonths(date, months))).toEqual(rows.map((row) => row.due));
  });
});

describe("due for recall", () => {
  const today = "2026-12-02";
  it.each([
    ["due today", { recallDueOn: today, archived: false, booked: false }, true],
    ["overdue", { recallDueOn: "2026-05-01", archived: false, booked: false }, true],
    ["due tomorrow", { recallDueOn: "2026-12-03", archived: false, booked: false }, false],
    ["booked", { recallDueOn: "2026-05-01", archived: false, booked: true }, false],
    ["archived", { recallDueOn: "2026-05-01", archived: true, booked: false }, false],
    ["never seen (new)", { recallDueOn: null, archived: false, booked: false }, false],
  ])("%s", (_name, patient, due) => {
    expect(dueForRecall(patient, today)).toBe(due);
  });
});
