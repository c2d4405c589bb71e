import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERT_KINDS, alertFields } from "../src/alerts/input.ts";
import { patientStatus } from "../src/clinic-rules.ts";
import { field, instant } from "../src/seed/copy-text.ts";
import { createProgressBar, DEMO_STAFF, type SeedResult, seedDatabase } from "../src/seed/index.ts";
import { PATIENT_NOTES } from "../src/seed/names.ts";
import { verifyPassword } from "../src/staff/passwords.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

const TODAY = "2026-11-25";
const NOW = new Date(`${TODAY}T12:00:00Z`);
const PATIENTS = 500;

const databases: TestDatabase[] = [];
async function seededDatabase(seed: number): Promise<{ db: TestDatabase; result: SeedResult }> {
  const db = await createTestDatabase();
  databases.push(db);
  const result = await seedDatabase(db.url, { patients: PATIENTS, seed, today: TODAY });
  return { db, result };
}
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

/** Every patient, appointment and medical alert column, in id order, hashed by PostgreSQL itself. */
async function contentHash(db: TestDatabase): Promise<string> {
  const [row] = await db.sql<{ hash: string }>(
    `select md5((select string_agg(p::text, E'\\n' order by p.id) from patient p)
             || (select string_agg(a::text, E'\\n' order by a.id) from appointment a)
             || (select string_agg(m::text, E'\\n' order by m.id) from medical_alert m)) as hash`,
  );
  return row?.hash ?? "";
}

async function count(db: TestDatabase, query: string): Promise<number> {
  const [row] = await db.sql<{ n: string }>(query);
  return Number(row?.n);
}

/** The schema's indexes and constraints, to show that suspending them for the load leaves them as they were. */
async function schemaShape(db: TestDatabase): Promise<string[]> {
  const rows = await db.sql<{ item: string }>(
    `select indexname || ': ' || indexdef as item from pg_indexes where schemaname = 'public'
     union all
     select conrelid::regclass || '.' || conname || ': ' || pg_get_constraintdef(oid) from pg_constraint
      where connamespace = 'public'::regnamespace
     union all
     select tgrelid::regclass || '.' || tgname || ': ' || tgenabled::text from pg_trigger where not tgisinternal
     order by 1`,
  );
  return rows.map((row) => row.item);
}

describe("seedDatabase", () => {
  let first: { db: TestDatabase; result: SeedResult };
  let twin: { db: TestDatabase; result: SeedResult };
  beforeAll(async () => {
    first = await seededDatabase(7);
    twin = await seededDatabase(7);
  });

  it("gives the same rows for the same seed", async () => {
    expect(await contentHash(twin.db)).toBe(await contentHash(first.db));
    expect(twin.result.appointments).toBe(first.result.appointments);
  });

  it("gives different rows for a different seed, replacing what was there", async () => {
    const other = await seededDatabase(7);
    const result = await seedDatabase(other.db.url, { patients: PATIENTS, seed: 8, today: TODAY });
    expect(await contentHash(other.db)).not.toBe(await contentHash(first.db));
    expect(await count(other.db, "select count(*) as n from patient")).toBe(PATIENTS);
    expect(await count(other.db, "select count(*) as n from appointment")).toBe(result.appointments);
    expect(await count(other.db, "select count(*) as n from staff_member")).toBe(result.staff);
  });

  it("reports what it loaded", async () => {
    const { db, result } = first;
    expect(result).toMatchObject({ clinics: 3, patients: PATIENTS });
    expect(await count(db, "select count(*) as n from clinic")).toBe(result.clinics);
    expect(await count(db, "select count(*) as n from service")).toBe(result.services);
    expect(result.services).toBeGreaterThanOrEqual(10);
    expect(await count(db, "select count(*) as n from staff_member")).toBe(result.staff);
    expect(await count(db, "select count(*) as n from appointment")).toBe(result.appointments);
    expect(await count(db, "select count(*) as n from medical_alert")).toBe(result.alerts);
  });

  it("sets every patient's last visit to their latest completed appointment", async () => {
    // Written independently of refresh_last_visit(): DISTINCT ON instead of a lateral LIMIT 1.
    const mismatches = await first.db.sql(
      `with latest as (
         select distinct on (patient_id) patient_id, id, starts_at from appointment
          where status = 'completed' order by patient_id, starts_at desc, id desc)
       select p.id from patient p left join latest l on l.patient_id = p.id
        where p.last_visit_id is distinct from l.id or p.last_visit_at is distinct from l.starts_at`,
    );
    expect(mismatches).toEqual([]);
    expect(await count(first.db, "select count(*) as n from patient where last_visit_id is not null")).toBeGreaterThan(
      PATIENTS / 2,
    );
  });

  it("gives patients about ten appointments on average, on a skewed spread", async () => {
    const [row] = await first.db.sql<{ average: number; none: string; many: string; median: number }>(
      `select avg(coalesce(n, 0))::float as average, count(*) filter (where n is null) as none,
              count(*) filter (where n >= 30) as many,
              percentile_cont(0.5) within group (order by coalesce(n, 0)) as median
         from patient p left join (select patient_id, count(*) as n from appointment group by 1) a
           on a.patient_id = p.id`,
    );
    expect(row?.average).toBeGreaterThan(7);
    expect(row?.average).toBeLessThan(13);
    expect(row?.median).toBeLessThan(row?.average ?? 0); // many with few, some with many
    expect(Number(row?.none)).toBeGreaterThanOrEqual(PATIENTS * 0.02);
    expect(Number(row?.none)).toBeLessThanOrEqual(PATIENTS * 0.1);
    expect(Number(row?.many)).toBeGreaterThan(0);
  });

  it("makes some patients new, a good share active and a good share inactive", async () => {
    const rows = await first.db.sql<{ last_visit_at: Date | null; time_zone: string }>(
      "select p.last_visit_at, c.time_zone from patient p join clinic c on c.id = p.clinic_id",
    );
    const statuses = { active: 0, inactive: 0, new: 0 };
    for (const row of rows) statuses[patientStatus(row.last_visit_at, row.time_zone, NOW)]++;
    expect(statuses.new).toBeGreaterThanOrEqual(PATIENTS * 0.04);
    expect(statuses.active).toBeGreaterThanOrEqual(PATIENTS * 0.3);
    expect(statuses.inactive).toBeGreaterThanOrEqual(PATIENTS * 0.1);
  });

  it("archives about 3% of patients", async () => {
    const archived = await count(first.db, "select count(*) as n from patient where archived_at is not null");
    expect(archived).toBeGreaterThanOrEqual(PATIENTS * 0.005);
    expect(archived).toBeLessThanOrEqual(PATIENTS * 0.07);
    expect(await count(first.db, "select count(*) as n from patient where archived_at < created_at")).toBe(0);
  });

  it("gives most patients an email, unique in any casing outside a family, some of it in mixed case", async () => {
    const [row] = await first.db.sql<{ emails: string; distinct_emails: string; mixed: string }>(
      `select count(email) as emails, count(distinct lower(email)) as distinct_emails,
              count(*) filter (where email <> lower(email)) as mixed from patient where guarantor_id is null`,
    );
    expect(Number(row?.emails)).toBeGreaterThan(PATIENTS * 0.75);
    expect(Number(row?.emails)).toBeLessThan(PATIENTS * 0.95);
    expect(row?.distinct_emails).toBe(row?.emails);
    expect(Number(row?.mixed)).toBeGreaterThan(0);
  });

  it("seeds families: children beside a guarantor, sharing the email, phone, surname, address and clinic", async () => {
    const [row] = await first.db.sql<{ children: string; guarantors: string; same: string; adults: string }>(
      `select count(*) as children, count(distinct c.guarantor_id) as guarantors,
              count(*) filter (where c.email = g.email and c.phone is not distinct from g.phone and c.last_name = g.last_name
                and c.address is not distinct from g.address and c.clinic_id = g.clinic_id and g.guarantor_id is null) as same,
              count(*) filter (where c.birthday < g.birthday) as adults
         from patient c join patient g on g.id = c.guarantor_id`,
    );
    expect(Number(row?.children)).toBeGreaterThan(PATIENTS * 0.02);
    expect(Number(row?.guarantors)).toBeLessThan(Number(row?.children) + 1);
    expect(row?.same).toBe(row?.children);
    expect(row?.adults).toBe("0");
    // No two patients of a clinic share an email unless they are one family.
    const [shared] = await first.db.sql<{ n: string }>(
      `select count(*) as n from patient a join patient b on a.id < b.id and lower(a.email) = lower(b.email)
        and a.clinic_id = b.clinic_id and coalesce(a.guarantor_id, a.id) <> coalesce(b.guarantor_id, b.id)`,
    );
    expect(shared?.n).toBe("0");
  });

  it("seeds a few likely duplicates: the same names and phone, without a birthday or email", async () => {
    const rows = await first.db.sql<{ id: number; birthday: string | null; email: string | null }>(
      `select b.id, b.birthday, b.email from patient a join patient b on b.id > a.id and b.first_name = a.first_name
        and b.last_name = a.last_name and b.phone = a.phone and b.guarantor_id is null and b.clinic_id = a.clinic_id`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(PATIENTS * 0.02);
    expect(rows.every((row) => row.birthday === null && row.email === null)).toBe(true);
  });

  it("uses names with diacritics and apostrophes, and shares surnames between many patients", async () => {
    const [row] = await first.db.sql<{ accented: string; apostrophes: string; surnames: string; top: string }>(
      `select count(*) filter (where first_name || last_name ~ '[^\\x01-\\x7f]') as accented,
              count(*) filter (where last_name like '%''%') as apostrophes,
              count(distinct last_name) as surnames,
              (select count(*) from patient group by last_name order by 1 desc limit 1) as top
         from patient`,
    );
    expect(Number(row?.accented)).toBeGreaterThan(PATIENTS * 0.2);
    expect(Number(row?.apostrophes)).toBeGreaterThan(0);
    expect(Number(row?.surnames)).toBeLessThan(PATIENTS / 2);
    expect(Number(row?.top)).toBeGreaterThanOrEqual(10);
  });

  it("has names with hyphens and curly apostrophes, and phones in every form people type them", async () => {
    const [row] = await first.db.sql<{ hyphens: string; curly: string }>(
      `select count(*) filter (where last_name like '%-%') as hyphens,
              count(*) filter (where last_name like '%’%') as curly
         from patient`,
    );
    expect(Number(row?.hyphens)).toBeGreaterThan(0);
    expect(Number(row?.curly)).toBeGreaterThan(0);
    const forms = await first.db.sql<{ form: string }>(
      "select distinct regexp_replace(phone, '[0-9]', '9', 'g') as form from patient",
    );
    expect(forms.map((form) => form.form)).toEqual(
      expect.arrayContaining(["+9 999 999 9999", "+99999999999", "9-999-999-9999", "999.999.9999", "(999) 999-9999"]),
    );
  });

  it("keeps quotes, commas, apostrophes and line breaks in text exactly", async () => {
    const notes = await first.db.sql<{ notes: string }>("select distinct notes from patient where notes <> ''");
    expect(notes.length).toBeGreaterThan(3);
    for (const { notes: note } of notes) expect(PATIENT_NOTES).toContain(note);
    expect(notes.some(({ notes: note }) => note.includes("\n"))).toBe(true);
  });

  it("books appointments at the patient's clinic, with its dentists, after the patient was created", async () => {
    const misplaced = await count(
      first.db,
      `select count(*) as n from appointment a join patient p on p.id = a.patient_id
        where a.clinic_id <> p.clinic_id or a.starts_at <= p.created_at or a.created_at < p.created_at
           or not exists (select 1 from staff_member_clinics m join staff_member s on s.id = m.staff_member_id
                           where m.staff_member_id = a.dentist_id and m.clinic_id = a.clinic_id and s.role = 'dentist')`,
    );
    expect(misplaced).toBe(0);
  });

  it("completes most past appointments, and only past ones", async () => {
    const [row] = await first.db.sql<{ past: string; completed: string; bad_completion: string; future_done: string }>(
      `select count(*) filter (where starts_at < $1) as past,
              count(*) filter (where starts_at < $1 and status = 'completed') as completed,
              count(*) filter (where (status = 'completed') <> (completed_at is not null)
                                  or completed_at <= starts_at or updated_at < created_at) as bad_completion,
              count(*) filter (where starts_at > $1 and status in ('completed', 'missed', 'cancelled')) as future_done
         from appointment`,
      [`${TODAY}T00:00:00Z`],
    );
    const share = Number(row?.completed) / Number(row?.past);
    expect(share).toBeGreaterThan(0.65);
    expect(share).toBeLessThan(0.85);
    expect(Number(row?.bad_completion)).toBe(0);
    expect(Number(row?.future_done)).toBe(0);
    expect(await count(first.db, `select count(*) as n from appointment where starts_at > '${TODAY}'`)).toBeGreaterThan(
      0,
    );
  });

  it("gives about one patient in eight medical alerts of every kind, noted by staff of their clinic", async () => {
    const [row] = await first.db.sql<{ patients: string; kinds: string[]; removed: string; corrected: string }>(
      `select count(distinct patient_id) filter (where removed_at is null) as patients,
              array_agg(distinct kind) as kinds,
              count(*) filter (where removed_at is not null) as removed,
              count(replaces_id) as corrected
         from medical_alert`,
    );
    expect(Number(row?.patients)).toBeGreaterThan(PATIENTS * 0.07);
    expect(Number(row?.patients)).toBeLessThan(PATIENTS * 0.18);
    expect([...(row?.kinds ?? [])].sort()).toEqual([...ALERT_KINDS].sort());
    expect(Number(row?.removed)).toBeGreaterThan(0);
    expect(Number(row?.corrected)).toBeGreaterThan(0);
    const misplaced = await first.db.sql(
      `select m.id from medical_alert m join patient p on p.id = m.patient_id
        where m.noted_at < p.created_at or m.noted_at > $1 or m.removed_at < m.noted_at
           or (m.removed_at is null) <> (m.removed_by_id is null)
           or not exists (select 1 from staff_member_clinics s where s.staff_member_id = m.noted_by_id and s.clinic_id = p.clinic_id)
           or (m.replaces_id is not null and not exists (select 1 from medical_alert r
                where r.id = m.replaces_id and r.patient_id = m.patient_id and r.removed_at = m.noted_at))`,
      [NOW],
    );
    expect(misplaced).toEqual([]);
  });

  it("writes alert texts the API would accept", async () => {
    const alerts = await first.db.sql<{ kind: string; text: string }>("select distinct kind, text from medical_alert");
    for (const alert of alerts) expect(alertFields.safeParse(alert).success, alert.text).toBe(true);
  });

  it("creates the demo accounts with the demo password, the owner at every clinic", async () => {
    const staff = await first.db.sql<{ email: string; role: string; password_hash: string; clinics: number[] }>(
      `select s.email, s.role, s.password_hash, array_agg(m.clinic_id order by m.clinic_id) as clinics
         from staff_member s join staff_member_clinics m on m.staff_member_id = s.id group by s.id`,
    );
    for (const account of DEMO_STAFF) {
      const member = staff.find((row) => row.email === account.email);
      expect(member?.role).toBe(account.role);
      expect(await verifyPassword(account.password, member?.password_hash ?? "")).toBe(true);
    }
    expect(staff.find((row) => row.role === "owner")?.clinics).toEqual([1, 2, 3]);
    expect(new Set(staff.map((row) => row.email.toLowerCase())).size).toBe(staff.length);
    const dentistsPerClinic = await first.db.sql<{ n: string }>(
      `select count(*) as n from staff_member_clinics m join staff_member s on s.id = m.staff_member_id
        where s.role = 'dentist' group by m.clinic_id`,
    );
    expect(dentistsPerClinic.map((row) => Number(row.n) >= 2)).toEqual([true, true, true]);
  });

  it("leaves the indexes, constraints and the last-visit trigger as the migrations made them", async () => {
    const fresh = await createTestDatabase();
    databases.push(fresh);
    expect(await schemaShape(first.db)).toEqual(await schemaShape(fresh));
  });
});

describe("a seeded database in use", () => {
  it("continues every id sequence after the seeded rows", async () => {
    const { db } = await seededDatabase(11);
    const [clinic] = await db.sql<{ id: number }>(
      "insert into clinic (name, address, phone, time_zone) values ('Annex', 'Somewhere 1', '555', 'UTC') returning id",
    );
    expect(clinic?.id).toBe(4);
    const [patient] = await db.sql<{ id: number }>(
      `insert into patient (first_name, last_name, clinic_id, created_at, updated_at)
       values ('Zoë', 'Øster', 1, now(), now()) returning id`,
    );
    expect(patient?.id).toBe(PATIENTS + 1);
    const [{ max } = { max: 0 }] = await db.sql<{ max: number }>("select max(id) as max from appointment");
    const [appointment] = await db.sql<{ id: number }>(
      `insert into appointment (patient_id, dentist_id, service_id, clinic_id, starts_at, status, completed_at, created_at, updated_at)
       values ($1, 3, 1, 1, now(), 'completed', now(), now(), now()) returning id`,
      [patient?.id],
    );
    expect(appointment?.id).toBe(max + 1);
    // The trigger is back on: completing a visit updates the patient's last visit at once.
    const [visited] = await db.sql<{ last_visit_id: number }>("select last_visit_id from patient where id = $1", [
      patient?.id,
    ]);
    expect(visited?.last_visit_id).toBe(appointment?.id);
    const [{ alerts } = { alerts: 0 }] = await db.sql<{ alerts: number }>(
      "select max(id) as alerts from medical_alert",
    );
    const [alert] = await db.sql<{ id: number }>(
      `insert into medical_alert (patient_id, kind, text, noted_at, noted_by_id) values ($1, 'allergy', 'Latex', now(), 2)
       returning id`,
      [patient?.id],
    );
    expect(alert?.id).toBe(alerts + 1);
  });

  it("loads clinics, services and staff alone when asked for no patients", async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const result = await seedDatabase(db.url, { patients: 0, seed: 1, today: TODAY });
    expect(result).toMatchObject({ clinics: 3, patients: 0, appointments: 0 });
    expect(await count(db, "select count(*) as n from staff_member")).toBe(result.staff);
    expect(await count(db, "select count(*) as n from patient")).toBe(0);
  });

  it("refuses a malformed date before touching the database", async () => {
    await expect(
      seedDatabase("postgres://nowhere.invalid/x", { patients: 1, seed: 1, today: "2026-02-30" }),
    ).rejects.toThrow(/calendar date/);
  });

  it("reports progress through each phase to its end", async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const last = new Map<string, [number, number]>();
    await seedDatabase(db.url, {
      patients: 50,
      seed: 3,
      today: TODAY,
      onProgress: (phase, done, total) => last.set(phase, [done, total]),
    });
    expect([...last.keys()]).toEqual(expect.arrayContaining(["patients", "appointments", "last visits"]));
    for (const [done, total] of last.values()) expect(done).toBe(total);
    expect(last.get("patients")).toEqual([50, 50]);
  });
});

describe("the COPY text format", () => {
  it("escapes backslashes, tabs and line breaks, and writes null as \\N", () => {
    expect(field("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    expect(field("O'Brien, Zoë")).toBe("O'Brien, Zoë");
    expect(field(null)).toBe("\\N");
  });

  it("writes instants as UTC ISO timestamps", () => {
    for (const text of ["2026-11-25T00:00:00.000Z", "2024-02-29T23:59:59.000Z", "2021-03-14T07:05:00.000Z"]) {
      expect(new Date(instant(Date.parse(text))).toISOString()).toBe(text);
    }
    expect(instant(Date.parse("2026-11-25T10:11:12.345Z"))).toBe("2026-11-25T10:11:12.345Z");
    expect(instant(Date.parse("2026-11-25T10:11:12Z"))).toBe("2026-11-25T10:11:12Z");
    expect(instant(null)).toBe("\\N");
  });
});

describe("createProgressBar", () => {
  function capture(isTTY: boolean) {
    const writes: string[] = [];
    const stream = { isTTY, write: (chunk: string) => writes.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
    return { writes, report: createProgressBar(stream) };
  }

  it("prints a few plain lines per phase when not on a terminal", () => {
    const { writes, report } = capture(false);
    for (let done = 0; done <= 1000; done += 10) report("patients", done, 1000);
    report("last visits", 0, 1);
    report("last visits", 1, 1);
    expect(writes.length).toBeLessThanOrEqual(5);
    expect(writes.every((line) => line.endsWith("\n") && !line.includes("\r"))).toBe(true);
    expect(writes.at(-3)).toContain("1,000/1,000");
  });

  it("redraws one line in place on a terminal", () => {
    const { writes, report } = capture(true);
    report("appointments", 0, 10);
    report("appointments", 10, 10);
    expect(writes[0]).toMatch(/^\rappointments .*0%/);
    expect(writes.at(-1)).toContain("100%  10/10");
    expect(writes.at(-1)?.endsWith("\x1b[K\n")).toBe(true); // clears leftovers, then keeps the finished line
  });
});
