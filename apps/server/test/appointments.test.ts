// Appointments through the API against a seeded PostgreSQL: a patient's history, booking, status changes
// (with the last visit kept by the database) and moves, for each role.
import { type AppointmentStatus, localDate, type PatientListRow, pageRowOf, patientStatus } from "@chairside/db";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { TRPCError } from "@trpc/server";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { AppRouter } from "../src/routers/root.ts";
import { appRouter } from "../src/routers/root.ts";
import { createContextInner } from "../src/trpc/context.ts";
import { createCallerFactory } from "../src/trpc/trpc.ts";
import { ACCOUNTS, type Caller, createTestApi, DEMO_PASSWORD, failure, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
let receptionist: Caller;
let dentist: Caller;
/** Daniel Okafor (dentist@chairside.test), a colleague at clinic 1, and a dentist of clinic 2 only. */
const staff = { daniel: 0, colleague: 0, elsewhere: 0, receptionist: 0 };
/** A 45-minute and a 30-minute service. */
const services = { checkUp: 0, exam: 0 };

beforeAll(async () => {
  api = await createTestApi();
  [owner, receptionist, dentist] = await Promise.all([
    api.as(ACCOUNTS.owner),
    api.as(ACCOUNTS.receptionist),
    api.as(ACCOUNTS.dentist),
  ]);
  const idOf = async (text: string, values: unknown[] = []) => {
    const [row] = await api.db.sql<{ id: number }>(text, values);
    if (!row) throw new Error(`nothing for ${text}`);
    return row.id;
  };
  staff.daniel = await idOf("select id from staff_member where email = $1", [ACCOUNTS.dentist]);
  staff.receptionist = await idOf("select id from staff_member where email = $1", [ACCOUNTS.receptionist]);
  const dentistAt = (clinicId: number, other: number) =>
    idOf(
      `select m.id from staff_member m where m.role = 'dentist' and m.id <> $2
        and array(select clinic_id from staff_member_clinics where staff_member_id = m.id) = array[$1::int]
        order by m.id limit 1`,
      [clinicId, other],
    );
  staff.colleague = await dentistAt(1, staff.daniel);
  staff.elsewhere = await dentistAt(2, 0);
  services.checkUp = await idOf("select id from service where duration_minutes = 45 order by id limit 1");
  services.exam = await idOf("select id from service where duration_minutes = 30 order by id limit 1");
});
afterAll(() => api.close());

// ---- helpers -------------------------------------------------------------------------------------------

let patientCount = 0;
/** A patient of our own, with a last name nobody else has (so patients.list can find their row). */
async function newPatient(clinicId = 1): Promise<{ id: number; lastName: string }> {
  patientCount++;
  const lastName = `Quillfeather${String.fromCharCode(97 + (patientCount % 26))}${patientCount}`;
  const [row] = await api.db.sql<{ id: number }>(
    `insert into patient (first_name, last_name, clinic_id, created_at, updated_at)
      values ('Ada', $1, $2, now(), now()) returning id`,
    [lastName, clinicId],
  );
  return { id: row?.id as number, lastName };
}

/** Puts a visit straight into the database (any status; completed ones completed when they started). */
async function book(
  patientId: number,
  startsAt: string,
  status: AppointmentStatus = "confirmed",
  dentistId = staff.colleague,
  serviceId = services.checkUp,
): Promise<number> {
  const [row] = await api.db.sql<{ id: number }>(
    `insert into appointment (patient_id, dentist_id, service_id, clinic_id, starts_at, status, completed_at, notes,
        created_at, updated_at)
      select p.id, $2, $3, p.clinic_id, $4::timestamptz, $5::text,
        case when $5::text = 'completed' then $4::timestamptz end, '', now(), now()
      from patient p where p.id = $1 returning id`,
    [patientId, dentistId, serviceId, startsAt, status],
  );
  return row?.id as number;
}

/** A slot in the dentists' diaries far from the seeded visits; each test uses days of its own. */
const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2031, 0, day, hour, minute));

const detailsOf = (cause: unknown) => (cause as { details?: unknown }).details;

async function appointmentRow(id: number) {
  const [row] = await api.db.sql<{ status: string; starts_at: Date; completed_at: Date | null; dentist_id: number }>(
    "select status, starts_at, completed_at, dentist_id from appointment where id = $1",
    [id],
  );
  return row;
}

async function lastVisitIdOf(patientId: number): Promise<number | null> {
  const [row] = await api.db.sql<{ last_visit_id: number | null }>("select last_visit_id from patient where id = $1", [
    patientId,
  ]);
  return row?.last_visit_id ?? null;
}

/** The patient's status and last visit as the database records them after a change (part of the row setStatus
 *  and reschedule return). */
async function patientAsRecorded(patientId: number) {
  const [row] = await api.db.sql<{
    last_visit_at: Date | null;
    time_zone: string;
    starts_at: Date | null;
    service: string | null;
    dentist: string | null;
  }>(
    `select p.last_visit_at, c.time_zone, lv.starts_at, s.name as service, d.name as dentist
      from patient p join clinic c on c.id = p.clinic_id
      left join appointment lv on lv.id = p.last_visit_id
      left join service s on s.id = lv.service_id
      left join staff_member d on d.id = lv.dentist_id
      where p.id = $1`,
    [patientId],
  );
  if (!row) throw new Error(`no patient ${patientId}`);
  return {
    id: patientId,
    status: patientStatus(row.last_visit_at, row.time_zone, new Date()),
    lastVisit: row.starts_at
      ? { on: localDate(row.starts_at, row.time_zone), service: row.service, dentist: row.dentist }
      : null,
  };
}

/** The patient's row in the patient list, which setStatus/reschedule return for the SPA's loaded pages. */
/** A changed row as a list in name order holds it (its values in that order instead of every order's). */
const asListed = (row: PatientListRow) => pageRowOf({ by: "name" }, row);

async function listRowOf(patient: { id: number; lastName: string }) {
  const page = await owner.patients.list({ search: patient.lastName, archived: "include" });
  const row = page.items.find((item) => item.id === patient.id);
  if (!row) throw new Error(`patient ${patient.id} is not in the list`);
  return row;
}

/** Every visit of a patient, newest first, read page by page through the API. */
async function wholeHistory(caller: Caller, patientId: number, limit: number) {
  const items = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Awaited<ReturnType<Caller["appointments"]["listByPatient"]>> = await caller.appointments.listByPatient({
      patientId,
      limit,
      cursor,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { items, pages };
}

/** A caller whose requests run on an ORM that records every SQL statement it sends. */
async function countingCaller(email: string): Promise<{ caller: Caller; statements: string[] }> {
  const { orm, statements } = await api.db.recordingOrm();
  await orm.em.execute("select 1"); // connects, as a server that has served a request already has
  statements.length = 0;
  const signedIn = await api.services.sessions.signIn(email, DEMO_PASSWORD);
  if (!signedIn) throw new Error(`cannot sign in as ${email}`);
  // Sessions stay on the harness's ORM: only the procedure's own statements are counted.
  const services = { ...api.services, orm };
  const caller = createCallerFactory(appRouter)(() =>
    createContextInner({ services, token: signedIn.token, clientAddress: "127.0.0.1" }),
  );
  return { caller, statements };
}

// ---- appointments.listByPatient --------------------------------------------------------------------------

describe("a patient's appointment history (appointments.listByPatient)", () => {
  let busiest: number;
  let expectedIds: number[];
  beforeAll(async () => {
    const [row] = await api.db.sql<{ patient_id: number }>(
      `select a.patient_id from appointment a join patient p on p.id = a.patient_id where p.clinic_id = 1
        group by a.patient_id order by count(*) desc, a.patient_id limit 1`,
    );
    busiest = row?.patient_id as number;
    const rows = await api.db.sql<{ id: number }>(
      "select id from appointment where patient_id = $1 order by starts_at desc, id desc",
      [busiest],
    );
    expectedIds = rows.map((r) => r.id);
  });

  it("pages newest first without repeating or skipping a visit, exactly as the database holds them", async () => {
    expect(expectedIds.length).toBeGreaterThan(7);
    const { items, pages } = await wholeHistory(receptionist, busiest, 3);
    expect(items.map((item) => item.id)).toEqual(expectedIds);
    // The last page knows it is the last: no empty page after it.
    expect(pages).toBe(Math.ceil(expectedIds.length / 3));
    const times = items.map((item) => item.startsAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("shows each visit's time, status, notes, service, dentist and clinic as recorded", async () => {
    const page = await owner.appointments.listByPatient({ patientId: busiest, limit: 100 });
    const rows = await api.db.sql<{
      id: number;
      starts_at: Date;
      status: string;
      completed_at: Date | null;
      notes: string;
      service_id: number;
      service_name: string;
      duration_minutes: number;
      dentist_id: number;
      dentist_name: string;
      clinic_id: number;
      clinic_name: string;
    }>(
      `select a.id, a.starts_at, a.status, a.completed_at, a.notes, s.id as service_id, s.name as service_name,
          s.duration_minutes, d.id as dentist_id, d.name as dentist_name, c.id as clinic_id, c.name as clinic_name
        from appointment a join service s on s.id = a.service_id join staff_member d on d.id = a.dentist_id
        join clinic c on c.id = a.clinic_id where a.patient_id = $1 order by a.starts_at desc, a.id desc`,
      [busiest],
    );
    expect(page.nextCursor).toBeNull();
    expect(page.items).toEqual(
      rows.map((row) => ({
        id: row.id,
        startsAt: row.starts_at,
        status: row.status,
        completedAt: row.completed_at,
        notes: row.notes,
        service: { id: row.service_id, name: row.service_name, durationMinutes: row.duration_minutes },
        dentist: { id: row.dentist_id, name: row.dentist_name },
        clinic: { id: row.clinic_id, name: row.clinic_name },
      })),
    );
  });

  it("takes one SQL statement per page, first or later, and one to refuse a hidden patient", async () => {
    const { caller, statements } = await countingCaller(ACCOUNTS.receptionist);
    await caller.auth.me(); // signs the session into the cache, as any earlier request would have
    statements.length = 0;
    const first = await caller.appointments.listByPatient({ patientId: busiest, limit: 2 });
    expect(statements).toHaveLength(1);
    statements.length = 0;
    await caller.appointments.listByPatient({ patientId: busiest, limit: 2, cursor: first.nextCursor });
    expect(statements).toHaveLength(1);
    const [otherClinic] = await api.db.sql<{ id: number }>("select id from patient where clinic_id = 2 limit 1");
    statements.length = 0;
    expect((await failure(caller.appointments.listByPatient({ patientId: otherClinic?.id as number }))).code).toBe(
      "NOT_FOUND",
    );
    expect(statements).toHaveLength(1);
  });

  it("shows an empty history, with no next page, for a patient never booked", async () => {
    const patient = await newPatient();
    expect(await dentist.appointments.listByPatient({ patientId: patient.id })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("pages 20 visits at a time unless asked otherwise", async () => {
    const patient = await newPatient();
    for (let day = 1; day <= 21; day++) await book(patient.id, `2019-03-${String(day).padStart(2, "0")}T10:00:00Z`);
    const first = await receptionist.appointments.listByPatient({ patientId: patient.id });
    expect(first.items).toHaveLength(20);
    const rest = await receptionist.appointments.listByPatient({ patientId: patient.id, cursor: first.nextCursor });
    expect(rest.items.map((item) => item.startsAt)).toEqual([new Date("2019-03-01T10:00:00Z")]);
    expect(rest.nextCursor).toBeNull();
  });

  it("refuses an altered cursor, another patient's cursor and a patient-list cursor as BAD_REQUEST", async () => {
    const first = await owner.appointments.listByPatient({ patientId: busiest, limit: 2 });
    const cursor = first.nextCursor as string;
    const middle = Math.floor(cursor.length / 2);
    const altered = `${cursor.slice(0, middle)}${cursor[middle] === "A" ? "B" : "A"}${cursor.slice(middle + 1)}`;
    const other = await newPatient();
    const listCursor = (await owner.patients.list({ limit: 1 })).nextCursor as string;
    for (const [patientId, bad] of [
      [busiest, altered],
      [other.id, cursor],
      [busiest, listCursor],
      [busiest, "not a cursor"],
    ] as const) {
      const refused = await failure(owner.appointments.listByPatient({ patientId, cursor: bad }));
      expect(refused.code, bad).toBe("BAD_REQUEST");
      expect(String((refused.cause as Error).message)).toMatch(/invalid cursor/);
    }
  });

  it("hides another clinic's patients (and patients who do not exist) from clinic staff as NOT_FOUND", async () => {
    const elsewhere = await newPatient(2);
    await book(elsewhere.id, "2025-05-05T10:00:00Z", "completed", staff.elsewhere);
    expect((await failure(receptionist.appointments.listByPatient({ patientId: elsewhere.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await failure(dentist.appointments.listByPatient({ patientId: elsewhere.id }))).code).toBe("NOT_FOUND");
    expect((await owner.appointments.listByPatient({ patientId: elsewhere.id })).items).toHaveLength(1);
    expect((await failure(owner.appointments.listByPatient({ patientId: 2_000_000_000 }))).code).toBe("NOT_FOUND");
  });

  it("rejects a page size outside 1..100 and a malformed patient id with field issues", async () => {
    for (const input of [
      { patientId: busiest, limit: 0 },
      { patientId: busiest, limit: 101 },
      { patientId: -1 },
      { patientId: 3_000_000_000 },
    ]) {
      const refused = await failure(owner.appointments.listByPatient(input));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(refused.cause).toBeInstanceOf(ZodError);
    }
  });
});

// ---- appointments.create ---------------------------------------------------------------------------------

describe("booking a visit (appointments.create)", () => {
  it("books a pending visit at the patient's clinic and returns it as the history shows it", async () => {
    const patient = await newPatient();
    const booked = await receptionist.appointments.create({
      patientId: patient.id,
      dentistId: staff.colleague,
      serviceId: services.checkUp,
      startsAt: at(2, 9),
      notes: "  prefers mornings  ",
    });
    expect(booked).toMatchObject({
      startsAt: at(2, 9),
      status: "pending",
      completedAt: null,
      notes: "prefers mornings",
      service: { id: services.checkUp, durationMinutes: 45 },
      dentist: { id: staff.colleague },
      clinic: { id: 1 },
    });
    const history = await receptionist.appointments.listByPatient({ patientId: patient.id });
    expect(history.items).toEqual([booked]);
    const confirmed = await owner.appointments.create({
      patientId: patient.id,
      dentistId: staff.colleague,
      serviceId: services.exam,
      startsAt: at(3, 9),
      status: "confirmed",
    });
    expect(confirmed.status).toBe("confirmed");
  });

  it("refuses a dentist who does not work at the patient's clinic, or no longer works, naming dentistId", async () => {
    const patient = await newPatient();
    const [archived] = await api.db.sql<{ id: number }>(
      `insert into staff_member (name, email, password_hash, role, archived, created_at)
        values ('Dr. Gone', 'gone@chairside.test', 'x', 'dentist', true, now()) returning id`,
    );
    await api.db.sql("insert into staff_member_clinics values ($1, 1)", [archived?.id]);
    for (const dentistId of [staff.elsewhere, archived?.id as number, staff.receptionist, 999_999]) {
      const refused = await failure(
        owner.appointments.create({ patientId: patient.id, dentistId, serviceId: services.exam, startsAt: at(4, 9) }),
      );
      expect(refused.code, `dentist ${dentistId}`).toBe("BAD_REQUEST");
      expect(detailsOf(refused.cause)).toMatchObject({ fieldErrors: { dentistId: [expect.any(String)] } });
    }
    const noService = await failure(
      owner.appointments.create({
        patientId: patient.id,
        dentistId: staff.colleague,
        serviceId: 999_999,
        startsAt: at(4, 9),
      }),
    );
    expect(noService.code).toBe("BAD_REQUEST");
    expect(detailsOf(noService.cause)).toMatchObject({ fieldErrors: { serviceId: [expect.any(String)] } });
    expect((await receptionist.appointments.listByPatient({ patientId: patient.id })).items).toEqual([]);
  });

  it("refuses to book an archived patient until their record is restored", async () => {
    const patient = await newPatient();
    await api.db.sql("update patient set archived_at = now() where id = $1", [patient.id]);
    const refused = await failure(
      owner.appointments.create({
        patientId: patient.id,
        dentistId: staff.colleague,
        serviceId: services.exam,
        startsAt: at(4, 11),
      }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(detailsOf(refused.cause)).toMatchObject({ fieldErrors: { patientId: [expect.any(String)] } });
  });

  it("refuses a visit overlapping the dentist's booked time as CONFLICT naming the clashing visit", async () => {
    const [first, second] = [await newPatient(), await newPatient()];
    const booked = await receptionist.appointments.create({
      patientId: first.id,
      dentistId: staff.colleague,
      serviceId: services.checkUp, // 10:00-10:45
      startsAt: at(5, 10),
    });
    const bookSecond = (startsAt: Date, serviceId = services.exam, dentistId = staff.colleague) =>
      receptionist.appointments.create({ patientId: second.id, dentistId, serviceId, startsAt });

    for (const startsAt of [at(5, 10, 30), at(5, 9, 45), at(5, 10)]) {
      const refused = await failure(bookSecond(startsAt));
      expect(refused.code, startsAt.toISOString()).toBe("CONFLICT");
      expect(detailsOf(refused.cause)).toEqual({
        reason: "dentistBusy",
        // The issue is about the time asked for, so a form shows it beside that field.
        fieldErrors: { startsAt: ["the dentist already has a visit at that time"] },
        clashesWith: {
          id: booked.id,
          startsAt: at(5, 10),
          endsAt: at(5, 10, 45),
          status: "pending",
          service: booked.service,
        },
      });
    }
    // Back to back is fine, another dentist is fine, and a cancelled visit frees its slot.
    await bookSecond(at(5, 9, 30));
    await bookSecond(at(5, 10, 45));
    await bookSecond(at(5, 10, 15), services.exam, staff.daniel);
    await owner.appointments.setStatus({ id: booked.id, status: "cancelled" });
    await bookSecond(at(5, 10, 0), services.exam);
  });

  it("lets only one of two simultaneous bookings of the same slot through", async () => {
    const [first, second] = [await newPatient(), await newPatient()];
    const [desk1, desk2] = [await api.as(ACCOUNTS.receptionist), await api.as(ACCOUNTS.owner)];
    const outcomes = await Promise.allSettled(
      [
        [desk1, first],
        [desk2, second],
      ].map(([caller, patient]) =>
        (caller as Caller).appointments.create({
          patientId: (patient as { id: number }).id,
          dentistId: staff.colleague,
          serviceId: services.checkUp,
          startsAt: at(6, 14),
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as TRPCError).code).toBe("CONFLICT");
    const [row] = await api.db.sql<{ count: number }>(
      "select count(*)::int as count from appointment where dentist_id = $1 and starts_at = $2",
      [staff.colleague, at(6, 14)],
    );
    expect(row?.count).toBe(1);
  });

  it("lets a dentist book themselves, not a colleague (FORBIDDEN), nor another clinic's patient (NOT_FOUND)", async () => {
    const patient = await newPatient();
    const elsewhere = await newPatient(2);
    const visit = { serviceId: services.exam, startsAt: at(7, 9) };
    const own = await dentist.appointments.create({ ...visit, patientId: patient.id, dentistId: staff.daniel });
    expect(own.dentist.id).toBe(staff.daniel);
    expect(
      (await failure(dentist.appointments.create({ ...visit, patientId: patient.id, dentistId: staff.colleague })))
        .code,
    ).toBe("FORBIDDEN");
    expect(
      (await failure(dentist.appointments.create({ ...visit, patientId: elsewhere.id, dentistId: staff.daniel }))).code,
    ).toBe("NOT_FOUND");
    expect(
      (
        await failure(
          receptionist.appointments.create({ ...visit, patientId: elsewhere.id, dentistId: staff.elsewhere }),
        )
      ).code,
    ).toBe("NOT_FOUND");
  });

  it("rejects malformed input with field issues and writes nothing", async () => {
    const patient = await newPatient();
    const valid = { patientId: patient.id, dentistId: staff.colleague, serviceId: services.exam, startsAt: at(8, 9) };
    const cases: [field: string, input: unknown][] = [
      ["dentistId", { ...valid, dentistId: undefined }],
      ["startsAt", { ...valid, startsAt: "tomorrow" }],
      ["startsAt", { ...valid, startsAt: new Date("1999-12-31T00:00:00Z") }],
      ["status", { ...valid, status: "completed" }],
      ["notes", { ...valid, notes: "x".repeat(4_001) }],
    ];
    for (const [field, input] of cases) {
      const refused = await failure(
        owner.appointments.create(input as Parameters<Caller["appointments"]["create"]>[0]),
      );
      expect(refused.code, field).toBe("BAD_REQUEST");
      expect(Object.keys((refused.cause as ZodError).flatten().fieldErrors), field).toEqual([field]);
    }
    expect((await owner.appointments.listByPatient({ patientId: patient.id })).items).toEqual([]);
  });

  it("sends the clashing visit and field issues to HTTP clients in the error data", async () => {
    const url = await api.listen();
    const signedIn = await api.services.sessions.signIn(ACCOUNTS.receptionist, DEMO_PASSWORD);
    const client = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${url}/trpc`,
          transformer: superjson,
          headers: { authorization: `Bearer ${signedIn?.token}` },
        }),
      ],
    });
    const patient = await newPatient();
    const visit = { patientId: patient.id, dentistId: staff.colleague, serviceId: services.exam, startsAt: at(9, 9) };
    const booked = await client.appointments.create.mutate(visit);
    const clash = await client.appointments.create.mutate(visit).catch((error: unknown) => error);
    expect(clash).toBeInstanceOf(TRPCClientError);
    expect((clash as TRPCClientError<AppRouter>).data).toMatchObject({
      code: "CONFLICT",
      details: {
        reason: "dentistBusy",
        fieldErrors: { startsAt: [expect.stringMatching(/already has a visit/)] },
        clashesWith: { id: booked.id, startsAt: at(9, 9), endsAt: at(9, 9, 30) },
      },
    });
    const invalid = await client.appointments.create
      .mutate({ ...visit, dentistId: staff.elsewhere })
      .catch((error: unknown) => error);
    expect((invalid as TRPCClientError<AppRouter>).data).toMatchObject({
      code: "BAD_REQUEST",
      details: { fieldErrors: { dentistId: [expect.stringMatching(/does not work at the patient's clinic/)] } },
    });
  });
});

// ---- appointments.setStatus ------------------------------------------------------------------------------

describe("changing a visit's status (appointments.setStatus)", () => {
  it("completing a visit makes it the last visit, and returns the patient's row as the list now shows it", async () => {
    const patient = await newPatient();
    const visit = await book(patient.id, "2026-05-04T09:30:00Z", "waiting");
    const before = Date.now();
    const changed = await receptionist.appointments.setStatus({ id: visit, status: "completed" });
    expect(changed.appointment).toMatchObject({ id: visit, status: "completed" });
    expect(changed.appointment.completedAt?.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(await lastVisitIdOf(patient.id)).toBe(visit);
    expect(changed.patient).toMatchObject(await patientAsRecorded(patient.id));
    expect(asListed(changed.patient)).toEqual(await listRowOf(patient));
    expect(changed.patient.lastVisit).not.toBeNull();
  });

  it("completing an older visit after a newer one keeps the newer as the last visit", async () => {
    const patient = await newPatient();
    const older = await book(patient.id, "2025-01-13T10:00:00Z");
    const newer = await book(patient.id, "2026-01-12T10:00:00Z");
    await owner.appointments.setStatus({ id: newer, status: "completed" });
    const changed = await owner.appointments.setStatus({ id: older, status: "completed" });
    expect(await lastVisitIdOf(patient.id)).toBe(newer);
    expect(changed.patient).toMatchObject(await patientAsRecorded(patient.id));
    expect(asListed(changed.patient)).toEqual(await listRowOf(patient));
  });

  it("un-completing the latest visit falls back to the previous one, then to none", async () => {
    const patient = await newPatient();
    const older = await book(patient.id, "2025-02-10T10:00:00Z", "completed");
    const newer = await book(patient.id, "2026-02-09T10:00:00Z", "completed");
    expect(await lastVisitIdOf(patient.id)).toBe(newer);

    const undone = await receptionist.appointments.setStatus({ id: newer, status: "confirmed" });
    expect(undone.appointment).toMatchObject({ status: "confirmed", completedAt: null });
    expect(await lastVisitIdOf(patient.id)).toBe(older);
    expect(undone.patient).toMatchObject(await patientAsRecorded(patient.id));
    expect(asListed(undone.patient)).toEqual(await listRowOf(patient));

    const none = await receptionist.appointments.setStatus({ id: older, status: "missed" });
    expect(none.patient).toMatchObject({ id: patient.id, status: "new", lastVisit: null });
    expect(await lastVisitIdOf(patient.id)).toBeNull();
    expect(asListed(none.patient)).toEqual(await listRowOf(patient));
  });

  it("completing again keeps when the visit was first completed", async () => {
    const patient = await newPatient();
    const visit = await book(patient.id, "2026-03-02T10:00:00Z", "completed");
    const { completed_at } = (await appointmentRow(visit)) ?? {};
    const again = await receptionist.appointments.setStatus({ id: visit, status: "completed" });
    expect(again.appointment.completedAt).toEqual(completed_at);
  });

  it("a status change that fails changes nothing", async () => {
    const patient = await newPatient();
    const visit = await book(patient.id, "2026-03-09T10:00:00Z", "completed");
    const before = await appointmentRow(visit);
    const invalid = await failure(owner.appointments.setStatus({ id: visit, status: "done" as AppointmentStatus }));
    expect(invalid.code).toBe("BAD_REQUEST");
    expect(invalid.cause).toBeInstanceOf(ZodError);
    expect(await appointmentRow(visit)).toEqual(before);
    expect(await lastVisitIdOf(patient.id)).toBe(visit);

    // Reinstating a cancelled visit whose slot has been taken since: refused, and nothing moves.
    const cancelled = await book(patient.id, at(10, 9).toISOString(), "cancelled");
    const other = await newPatient();
    await receptionist.appointments.create({
      patientId: other.id,
      dentistId: staff.colleague,
      serviceId: services.exam,
      startsAt: at(10, 9, 15),
    });
    const clash = await failure(owner.appointments.setStatus({ id: cancelled, status: "confirmed" }));
    expect(clash.code).toBe("CONFLICT");
    expect((await appointmentRow(cancelled))?.status).toBe("cancelled");
  });

  it("lets a dentist complete their own visit but not a colleague's (FORBIDDEN)", async () => {
    const patient = await newPatient();
    const own = await book(patient.id, "2026-04-06T10:00:00Z", "waiting", staff.daniel);
    const colleagues = await book(patient.id, "2026-04-07T10:00:00Z", "waiting", staff.colleague);
    const done = await dentist.appointments.setStatus({ id: own, status: "completed" });
    expect(done.appointment.status).toBe("completed");
    expect((await failure(dentist.appointments.setStatus({ id: colleagues, status: "completed" }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await appointmentRow(colleagues))?.status).toBe("waiting");
  });

  it("keeps clinic staff away from another clinic's visits (NOT_FOUND); the owner reaches them", async () => {
    const patient = await newPatient(2);
    const visit = await book(patient.id, "2026-04-08T10:00:00Z", "waiting", staff.elsewhere);
    for (const caller of [receptionist, dentist]) {
      expect((await failure(caller.appointments.setStatus({ id: visit, status: "cancelled" }))).code).toBe("NOT_FOUND");
      expect((await failure(caller.appointments.reschedule({ id: visit, startsAt: at(11, 9) }))).code).toBe(
        "NOT_FOUND",
      );
    }
    expect((await appointmentRow(visit))?.status).toBe("waiting");
    expect((await failure(receptionist.appointments.setStatus({ id: 2_000_000_000, status: "cancelled" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await owner.appointments.setStatus({ id: visit, status: "completed" })).appointment.status).toBe(
      "completed",
    );
  });
});

// ---- appointments.reschedule -----------------------------------------------------------------------------

describe("moving a visit (appointments.reschedule)", () => {
  it("moves a visit and re-sorts the patient's history", async () => {
    const patient = await newPatient();
    const ids = [
      await book(patient.id, at(12, 9).toISOString()),
      await book(patient.id, at(13, 9).toISOString()),
      await book(patient.id, at(14, 9).toISOString()),
    ];
    const moved = await receptionist.appointments.reschedule({ id: ids[0] as number, startsAt: at(15, 11) });
    expect(moved.appointment).toMatchObject({ id: ids[0], startsAt: at(15, 11), status: "confirmed" });
    const history = await receptionist.appointments.listByPatient({ patientId: patient.id });
    expect(history.items.map((item) => item.id)).toEqual([ids[0], ids[2], ids[1]]);
  });

  it("moving a completed visit keeps the last visit right, both later and back", async () => {
    const patient = await newPatient();
    const first = await book(patient.id, "2025-06-02T10:00:00Z", "completed");
    const second = await book(patient.id, "2025-09-01T10:00:00Z", "completed");
    const later = await owner.appointments.reschedule({ id: first, startsAt: new Date("2025-10-06T10:00:00Z") });
    expect(await lastVisitIdOf(patient.id)).toBe(first);
    expect(later.patient).toMatchObject(await patientAsRecorded(patient.id));
    expect(asListed(later.patient)).toEqual(await listRowOf(patient));
    const back = await owner.appointments.reschedule({ id: first, startsAt: new Date("2025-05-05T10:00:00Z") });
    expect(await lastVisitIdOf(patient.id)).toBe(second);
    expect(asListed(back.patient)).toEqual(await listRowOf(patient));
  });

  it("moves to another dentist of the clinic, but not to one elsewhere nor onto a busy slot", async () => {
    const patient = await newPatient();
    const visit = await book(patient.id, at(16, 9).toISOString());
    // Overlapping its own old slot is no clash.
    await receptionist.appointments.reschedule({ id: visit, startsAt: at(16, 9, 15) });
    const handed = await receptionist.appointments.reschedule({
      id: visit,
      startsAt: at(16, 9, 15),
      dentistId: staff.daniel,
    });
    expect(handed.appointment.dentist.id).toBe(staff.daniel);

    const elsewhere = await failure(
      receptionist.appointments.reschedule({ id: visit, startsAt: at(16, 9), dentistId: staff.elsewhere }),
    );
    expect(elsewhere.code).toBe("BAD_REQUEST");
    expect(detailsOf(elsewhere.cause)).toMatchObject({ fieldErrors: { dentistId: [expect.any(String)] } });

    const busy = await book(patient.id, at(16, 14).toISOString(), "confirmed", staff.daniel);
    const clash = await failure(receptionist.appointments.reschedule({ id: visit, startsAt: at(16, 14, 30) }));
    expect(clash.code).toBe("CONFLICT");
    expect(detailsOf(clash.cause)).toMatchObject({
      reason: "dentistBusy",
      fieldErrors: { startsAt: [expect.any(String)] },
      clashesWith: { id: busy },
    });
    expect(await appointmentRow(visit)).toMatchObject({ starts_at: at(16, 9, 15), dentist_id: staff.daniel });
  });

  it("lets a dentist move their own visits, but not hand them to a colleague (FORBIDDEN)", async () => {
    const patient = await newPatient();
    const own = await book(patient.id, at(17, 9).toISOString(), "pending", staff.daniel);
    const moved = await dentist.appointments.reschedule({ id: own, startsAt: at(17, 11) });
    expect(moved.appointment.startsAt).toEqual(at(17, 11));
    expect(
      (await failure(dentist.appointments.reschedule({ id: own, startsAt: at(17, 11), dentistId: staff.colleague })))
        .code,
    ).toBe("FORBIDDEN");
    const colleagues = await book(patient.id, at(18, 9).toISOString(), "pending", staff.colleague);
    expect((await failure(dentist.appointments.reschedule({ id: colleagues, startsAt: at(18, 11) }))).code).toBe(
      "FORBIDDEN",
    );
  });

  it("refuses a move made from an outdated view of the visit as CONFLICT with the visit as it is now", async () => {
    const patient = await newPatient();
    const visit = await book(patient.id, at(19, 9).toISOString(), "pending");
    const seen = { startsAt: at(19, 9), dentistId: staff.colleague, status: "pending" as const };
    // Someone else moves it first: a move from what the first desk saw is refused and changes nothing.
    const theirs = await owner.appointments.reschedule({ id: visit, startsAt: at(19, 11), expected: seen });
    const stale = await failure(
      receptionist.appointments.reschedule({ id: visit, startsAt: at(19, 14), expected: seen }),
    );
    expect(stale.code).toBe("CONFLICT");
    expect(detailsOf(stale.cause)).toEqual({ reason: "stale", current: theirs.appointment });
    expect(await appointmentRow(visit)).toMatchObject({ starts_at: at(19, 11), dentist_id: staff.colleague });
    // A status change since is a change too; from the current view the move goes through.
    const confirmed = await owner.appointments.setStatus({ id: visit, status: "confirmed" });
    const afterStatus = await failure(
      receptionist.appointments.reschedule({
        id: visit,
        startsAt: at(19, 14),
        expected: { ...seen, startsAt: at(19, 11) },
      }),
    );
    expect(detailsOf(afterStatus.cause)).toEqual({ reason: "stale", current: confirmed.appointment });
    const moved = await receptionist.appointments.reschedule({
      id: visit,
      startsAt: at(19, 14),
      expected: { startsAt: at(19, 11), dentistId: staff.colleague, status: "confirmed" },
    });
    expect(moved.appointment).toMatchObject({ startsAt: at(19, 14), status: "confirmed" });
  });

  it("rejects malformed moves with field issues, and hides another clinic's visits (NOT_FOUND)", async () => {
    const patient = await newPatient();
    const visit = await book(patient.id, at(20, 9).toISOString());
    const valid = { id: visit, startsAt: at(20, 11) };
    const cases: [field: string, input: unknown][] = [
      ["startsAt", { ...valid, startsAt: "at eleven" }],
      ["startsAt", { ...valid, startsAt: new Date("2100-06-01T00:00:00Z") }],
      ["dentistId", { ...valid, dentistId: -1 }],
      ["expected", { ...valid, expected: { startsAt: at(20, 9), dentistId: staff.colleague, status: "gone" } }],
    ];
    for (const [field, input] of cases) {
      const refused = await failure(
        owner.appointments.reschedule(input as Parameters<Caller["appointments"]["reschedule"]>[0]),
      );
      expect(refused.code, field).toBe("BAD_REQUEST");
      expect(Object.keys((refused.cause as ZodError).flatten().fieldErrors), field).toEqual([field]);
    }
    const elsewhere = await book((await newPatient(2)).id, at(20, 9).toISOString(), "pending", staff.elsewhere);
    const hidden = await failure(receptionist.appointments.reschedule({ id: elsewhere, startsAt: at(20, 11) }));
    expect(hidden.code).toBe("NOT_FOUND");
    expect(await appointmentRow(visit)).toMatchObject({ starts_at: at(20, 9) });
    expect(await appointmentRow(elsewhere)).toMatchObject({ starts_at: at(20, 9) });
  });
});
