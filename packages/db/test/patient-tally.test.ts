// The tab counts' tallies (PatientTally, kept by the patient's `tally` trigger) against the patients themselves,
// after many changes made at once from several connections, as front desks make them.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "../src/seed/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDatabase(db.url, { patients: 150, seed: 5, today: "2026-06-15" });
});
afterAll(() => db.drop());

/** The tallies as they should be: every patient counted by clinic, archived flag and local day of last visit. */
const FROM_PATIENTS = `select p.clinic_id, p.archived_at is not null as archived,
    coalesce((p.last_visit_at at time zone c.time_zone)::date, '-infinity'::date)::text as visit_day, count(*)::int as patients
  from patient p join clinic c on c.id = p.clinic_id group by 1, 2, 3 order by 1, 2, 3`;
const FROM_TALLIES = `select clinic_id, archived, visit_day::text, patients from patient_tally where patients <> 0
  order by 1, 2, 3`;

/** A small deterministic generator, so that a failing run can be told apart from another. */
function randomFrom(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}

describe("the tab counts' tallies", () => {
  it("match the patients after the seed's bulk load", async () => {
    expect(await db.sql(FROM_TALLIES)).toEqual(await db.sql(FROM_PATIENTS));
  });

  it("match them after concurrent completions, moves, archives, new patients and deletions, without deadlocks", async () => {
    const appointments = (await db.sql<{ id: number }>("select id from appointment order by id")).map((row) => row.id);
    const patients = (await db.sql<{ id: number }>("select id from patient order by id")).map((row) => row.id);
    const pick = <T>(items: readonly T[], random: (below: number) => number) => items[random(items.length)] as T;
    const changes: ((random: (below: number) => number) => [string, unknown[]])[] = [
      // Completing, un-completing and missing visits moves patients between days (the last_visit trigger).
      (random) => [
        "update appointment set status = $1, completed_at = case when $1 = 'completed' then now() end where id = $2",
        [pick(["completed", "confirmed", "missed"], random), pick(appointments, random)],
      ],
      (random) => [
        "update appointment set starts_at = starts_at + ($1 || ' days')::interval where id = $2",
        [String(random(900) - 450), pick(appointments, random)],
      ],
      (random) => [
        "update patient set archived_at = case when archived_at is null then now() end where id = $1",
        [pick(patients, random)],
      ],
      (random) => ["update patient set clinic_id = $1 where id = $2", [1 + random(3), pick(patients, random)]],
      (random) => [
        "insert into patient (first_name, last_name, clinic_id, created_at, updated_at) values ('New', 'Patient', $1, now(), now())",
        [1 + random(3)],
      ],
      (random) => ["delete from appointment where id = $1", [pick(appointments, random)]],
    ];

    const desk = async (seed: number) => {
      const random = randomFrom(seed);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        // One change a transaction, each moving one patient between two tallies: two desks moving patients
        // between the same tallies the other way round are what would deadlock, were the tallies not locked in
        // key order.
        for (let round = 0; round < 80; round++) {
          const [text, values] = pick(changes, random)(random);
          await client.query(text, values);
        }
      } finally {
        await client.end();
      }
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, index) => desk(index + 1)));
    const failures = outcomes
      .filter((outcome) => outcome.status === "rejected")
      .map((outcome) => String(outcome.reason));
    expect(failures).toEqual([]);
    expect(await db.sql(FROM_TALLIES)).toEqual(await db.sql(FROM_PATIENTS));
  });

  it("let two desks move patients between the same two tallies, in opposite directions, without a deadlock", async () => {
    // Two never-seen patients of one clinic, one archived: tallies X = (1, false, -infinity) < Y = (1, true, ...).
    const [current, archived] = await db.sql<{ id: number }>(
      `insert into patient (first_name, last_name, clinic_id, created_at, updated_at, archived_at)
       values ('Desk', 'One', 1, now(), now(), null), ('Desk', 'Two', 1, now(), now(), now()) returning id`,
    );
    const connect = async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      return client;
    };
    const [holder, restoring, archiving, watcher] = await Promise.all([connect(), connect(), connect(), connect()]);
    const waitingOnALock = async (client: pg.Client) => {
      const pid = (client as unknown as { processID: number }).processID;
      for (;;) {
        const [row] = await watcher
          .query("select wait_event_type from pg_stat_activity where pid = $1", [pid])
          .then((result) => result.rows);
        if (row?.wait_event_type === "Lock") return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    try {
      // Y held elsewhere, so that both moves queue behind it: the restore (Y to X) first, then the archive (X to Y).
      await holder.query("begin");
      await holder.query(
        "select * from patient_tally where clinic_id = 1 and archived and visit_day = '-infinity' for update",
      );
      const restore = restoring.query("update patient set archived_at = null where id = $1", [archived?.id]);
      await waitingOnALock(restoring);
      const archive = archiving.query("update patient set archived_at = now() where id = $1", [current?.id]);
      await waitingOnALock(archiving);
      await holder.query("commit");
      const outcomes = await Promise.allSettled([restore, archive]);
      expect(outcomes.map((outcome) => (outcome.status === "rejected" ? String(outcome.reason) : "done"))).toEqual([
        "done",
        "done",
      ]);
    } finally {
      await Promise.all([holder, restoring, archiving, watcher].map((client) => client.end()));
    }
    expect(await db.sql(FROM_TALLIES)).toEqual(await db.sql(FROM_PATIENTS));
  });

  it("are recounted when a clinic moves to another time zone", async () => {
    await db.sql("update clinic set time_zone = 'Pacific/Kiritimati' where id = 2");
    expect(await db.sql(FROM_TALLIES)).toEqual(await db.sql(FROM_PATIENTS));
  });
});
