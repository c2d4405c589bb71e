import {
  ageOn,
  ChairsideError,
  type DuplicatePatientConflict,
  latestCompleted,
  localDate,
  NOT_UPCOMING_STATUSES,
  type PatientRecord,
  pageRowOf,
  patientStatus,
  recallDueOn,
  type StalePatientConflict,
} from "@chairside/db";
import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import { ACCOUNTS, type Caller, createTestApi, DEMO_PASSWORD, failure, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
let receptionist: Caller;
let dentist: Caller;

beforeAll(async () => {
  api = await createTestApi();
  [owner, receptionist, dentist] = await Promise.all([
    api.as(ACCOUNTS.owner),
    api.as(ACCOUNTS.receptionist),
    api.as(ACCOUNTS.dentist),
  ]);
});
afterAll(() => api.close());

/** What a CONFLICT is about: the domain error's details (over HTTP, `error.data.details`). */
function detailsOf<Details>(error: TRPCError): Details {
  expect(error.cause).toBeInstanceOf(ChairsideError);
  return (error.cause as ChairsideError<Details>).details as Details;
}

async function firstPatient(where: string, params: unknown[] = []): Promise<number> {
  const [row] = await api.db.sql<{ id: number }>(`select id from patient where ${where} order by id limit 1`, params);
  if (!row) throw new Error(`no seeded patient where ${where}`);
  return row.id;
}

const DAY_MS = 86_400_000;
let uniqueCounter = 0;
/** A surname no seeded patient has, so each test's patients are its own. */
const uniqueSurname = (base: string) => `${base}-${++uniqueCounter}`;

interface AppointmentRow {
  id: number;
  starts_at: Date;
  status: string;
  service_id: number;
  service_name: string;
  dentist_id: number;
  dentist_name: string;
}

/** Books an appointment with raw SQL, with the service and dentist of one of the patient's own visits. */
async function book(patientId: number, startsAt: Date, status: string): Promise<void> {
  await api.db.sql(
    `insert into appointment (patient_id, dentist_id, service_id, clinic_id, starts_at, status, notes, created_at, updated_at)
     select a.patient_id, a.dentist_id, a.service_id, a.clinic_id, $2, $3, '', now(), now()
       from appointment a where a.patient_id = $1 order by a.id limit 1`,
    [patientId, startsAt, status],
  );
}

/** Every row of patient and appointment, with the transaction that last wrote it: any write changes it. */
async function tableFingerprint(): Promise<string> {
  const [row] = await api.db.sql<{ patients: string; appointments: string }>(
    `select (select count(*) || ':' || coalesce(sum(hashtext(xmin::text || ctid::text)), 0) from patient) as patients,
            (select count(*) || ':' || coalesce(sum(hashtext(xmin::text || ctid::text)), 0) from appointment) as appointments`,
  );
  return JSON.stringify(row);
}

/** The SQL statements the API sends while `work` runs (session lookups left out). */
async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const original = api.orm.config.get("onQuery");
  const seen: string[] = [];
  api.orm.config.set("onQuery", (sql: string, params: readonly unknown[]) => {
    if (!sql.includes("staff_session")) seen.push(sql);
    return original(sql, params);
  });
  try {
    await work();
  } finally {
    api.orm.config.set("onQuery", original);
  }
  return seen;
}

describe("patients.byId", () => {
  it("returns the whole record, agreeing with the database on every field, visit and count", async () => {
    const id = await firstPatient("clinic_id = 1 and archived_at is null and last_visit_id is not null");
    const now = Date.now();
    // Upcoming bookings: the cancelled and cancel-requested ones come first but are not the next appointment.
    await book(id, new Date(now + 1 * DAY_MS), "cancelled");
    await book(id, new Date(now + 2 * DAY_MS), "cancel_requested");
    await book(id, new Date(now + 3 * DAY_MS), "confirmed");
    await book(id, new Date(now + 5 * DAY_MS), "pending");
    // Alerts beside the upcoming visits (two collections in one joined statement): the current ones, most urgent
    // kind first; a removed one is not shown.
    await api.db.sql("delete from medical_alert where patient_id = $1", [id]);
    const [condition, , allergy] = await api.db.sql<{ id: number; noted_at: Date }>(
      `insert into medical_alert (patient_id, kind, text, noted_at, noted_by_id, removed_at, removed_by_id)
       values ($1, 'condition', 'Type 2 diabetes', now() - interval '2 days', 2, null, null),
              ($1, 'allergy', 'Aspirin', now() - interval '3 days', 2, now() - interval '1 day', 2),
              ($1, 'allergy', 'Penicillin', now() - interval '1 day', 3, null, null)
       returning id, noted_at`,
      [id],
    );
    const [reception, dentistMember] = await api.db.sql<{ id: number; name: string }>(
      "select id, name from staff_member where id in (2, 3) order by id",
    );

    const record = await owner.patients.byId({ id });

    const [patient] = await api.db.sql(
      `select p.*, to_char(p.birthday, 'YYYY-MM-DD') as birthday_text, c.name as clinic_name, c.time_zone
         from patient p join clinic c on c.id = p.clinic_id where p.id = $1`,
      [id],
    );
    const appointments = await api.db.sql<AppointmentRow>(
      `select a.id, a.starts_at, a.status, s.id as service_id, s.name as service_name,
              d.id as dentist_id, d.name as dentist_name
         from appointment a join service s on s.id = a.service_id join staff_member d on d.id = a.dentist_id
        where a.patient_id = $1`,
      [id],
    );
    if (!patient) throw new Error("the patient vanished");
    const timeZone = patient.time_zone as string;
    const today = localDate(new Date(), timeZone);
    const last = latestCompleted(appointments.map((a) => ({ ...a, startsAt: a.starts_at })));
    const closed: readonly string[] = NOT_UPCOMING_STATUSES;
    const upcoming = appointments
      .filter((a) => a.starts_at.getTime() > Date.now() && !closed.includes(a.status))
      .sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime() || a.id - b.id);
    const next = upcoming[0];
    if (!last || !next) throw new Error("the patient should have a last visit and a next appointment");

    expect(record).toEqual({
      id,
      firstName: patient.first_name,
      lastName: patient.last_name,
      email: patient.email,
      phone: patient.phone,
      birthday: patient.birthday_text,
      age: ageOn(patient.birthday_text, today),
      gender: patient.gender,
      address: patient.address,
      notes: patient.notes,
      clinic: { id: 1, name: patient.clinic_name, timeZone },
      status: patientStatus(patient.last_visit_at, timeZone),
      recallIntervalMonths: patient.recall_interval_months,
      recallDueOn: recallDueOn(patient.last_visit_at, patient.recall_interval_months, timeZone),
      archived: false,
      archivedAt: null,
      createdAt: patient.created_at,
      updatedAt: patient.updated_at,
      version: patient.version,
      lastVisit: {
        appointmentId: last.id,
        on: localDate(last.starts_at, timeZone),
        startsAt: last.starts_at,
        service: { id: last.service_id, name: last.service_name },
        dentist: { id: last.dentist_id, name: last.dentist_name },
      },
      nextAppointment: {
        appointmentId: next.id,
        startsAt: next.starts_at,
        status: "confirmed",
        service: { id: next.service_id, name: next.service_name },
        dentist: { id: next.dentist_id, name: next.dentist_name },
      },
      visits: {
        completed: appointments.filter((a) => a.status === "completed").length,
        upcoming: upcoming.length,
        missed: appointments.filter((a) => a.status === "missed").length,
        cancelled: appointments.filter((a) => a.status === "cancelled").length,
      },
      alerts: [
        { id: allergy?.id, kind: "allergy", text: "Penicillin", notedAt: allergy?.noted_at, notedBy: dentistMember },
        {
          id: condition?.id,
          kind: "condition",
          text: "Type 2 diabetes",
          notedAt: condition?.noted_at,
          notedBy: reception,
        },
      ],
      family: record.family,
      mergedInto: null,
    } satisfies Omit<PatientRecord, "alerts"> & { alerts: unknown[] });
    expect(record.lastVisit?.appointmentId).toBe(patient.last_visit_id);
    expect(record.nextAppointment?.startsAt.getTime()).toBe(now + 3 * DAY_MS);
    expect(record.visits.upcoming).toBeGreaterThanOrEqual(2);
  });

  it("leaves internal columns (search text, denormalised last visit) out of the record", async () => {
    const id = await firstPatient("last_visit_id is not null");
    const record = await owner.patients.byId({ id });
    for (const internal of ["searchText", "search_text", "lastVisitAt", "searchRank"]) {
      expect(record).not.toHaveProperty(internal);
    }
  });

  it("shows a patient never seen as new, with no last visit, no next appointment and zero counts", async () => {
    const created = await owner.patients.create({
      firstName: "Wilhelmina",
      lastName: uniqueSurname("Fresh"),
      birthday: "1990-02-28",
      clinicId: 2,
    });
    const record = await owner.patients.byId({ id: created.id });
    expect(record).toMatchObject({
      status: "new",
      lastVisit: null,
      nextAppointment: null,
      visits: { completed: 0, upcoming: 0, missed: 0, cancelled: 0 },
      age: ageOn("1990-02-28", localDate(new Date(), record.clinic.timeZone)),
    });
  });

  it("reads in one SQL statement and writes nothing, medical alerts included", async () => {
    const id = await firstPatient(
      "last_visit_id is not null and exists (select 1 from medical_alert a where a.patient_id = patient.id and a.removed_at is null)",
    );
    await owner.patients.byId({ id }); // warms the session cache
    const before = await tableFingerprint();
    const statements = await statementsDuring(async () => {
      for (let i = 0; i < 3; i++) await owner.patients.byId({ id });
    });
    expect(statements).toHaveLength(3);
    for (const sql of statements) expect(sql.trimStart()).toMatch(/^select\s/i);
    expect(await tableFingerprint()).toBe(before);
  });

  it("is NOT_FOUND for an id that does not exist", async () => {
    expect((await failure(owner.patients.byId({ id: 9_999_999 }))).code).toBe("NOT_FOUND");
  });
});

describe("patients.create", () => {
  it("registers a patient, trimmed and with blanks as none, and returns the record", async () => {
    const lastName = uniqueSurname("Okafor");
    const record = await owner.patients.create({
      firstName: "  Chidi ",
      lastName,
      email: "",
      phone: " +1 (312) 555-0101 ",
      birthday: "1985-07-09",
      gender: "male",
      address: "   ",
      notes: "Prefers mornings. ",
      clinicId: 3,
    });
    expect(record).toMatchObject({
      firstName: "Chidi",
      lastName,
      email: null,
      phone: "+1 (312) 555-0101",
      birthday: "1985-07-09",
      gender: "male",
      address: null,
      notes: "Prefers mornings.",
      clinic: { id: 3 },
      status: "new",
      archived: false,
      version: 1,
    });
    const { row: listRow, ...saved } = record;
    expect(await owner.patients.byId({ id: record.id })).toEqual(saved);
    // And its row as the list shows it, for the SPA's loaded pages.
    const listed = await owner.patients.list({ search: lastName, clinicId: 3 });
    expect(pageRowOf({ by: "name" }, listRow)).toEqual(listed.items.find((item) => item.id === record.id));
    const [row] = await api.db.sql("select first_name, email, clinic_id from patient where id = $1", [record.id]);
    expect(row).toEqual({ first_name: "Chidi", email: null, clinic_id: 3 });
  });

  it("treats the same names (any case, any accents) and birthday as a likely duplicate, until confirmed", async () => {
    const lastName = uniqueSurname("Núñez");
    const existing = await owner.patients.create({
      firstName: "José",
      lastName,
      birthday: "1979-03-21",
      email: `jose.${uniqueCounter}@example.test`,
      clinicId: 1,
    });
    const again = {
      firstName: "JOSE",
      lastName: lastName.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase(),
      birthday: "1979-03-21",
      clinicId: 1,
    };

    const error = await failure(receptionist.patients.create(again));
    expect(error.code).toBe("CONFLICT");
    expect(detailsOf<DuplicatePatientConflict>(error)).toEqual({
      reason: "likelyDuplicate",
      canConfirm: true,
      matches: [
        {
          id: existing.id,
          firstName: "José",
          lastName,
          birthday: "1979-03-21",
          email: existing.email,
          phone: null,
          clinic: { id: 1, name: existing.clinic.name },
          archived: false,
          sameEmail: false,
          sameNameAndBirthday: true,
          sameNameAndPhone: false,
          sameNameAndEmail: false,
          sameFamily: false,
        },
      ],
    });

    const confirmed = await receptionist.patients.create({ ...again, confirmDuplicate: true });
    expect(confirmed.id).not.toBe(existing.id);
    const rows = await api.db.sql("select id from patient where search_normalize(last_name) = search_normalize($1)", [
      lastName,
    ]);
    expect(rows).toHaveLength(2);
  });

  it("does not call a namesake with another birthday a duplicate", async () => {
    const lastName = uniqueSurname("Smith");
    await owner.patients.create({ firstName: "John", lastName, birthday: "1970-01-01", clinicId: 1 });
    const other = await owner.patients.create({ firstName: "John", lastName, birthday: "1971-01-01", clinicId: 1 });
    expect(other.birthday).toBe("1971-01-01");
  });

  it("refuses an email another patient has in any casing, even when the duplicate is confirmed", async () => {
    const lastName = uniqueSurname("Lopez");
    const existing = await owner.patients.create({
      firstName: "Ana",
      lastName,
      email: `Ana.${lastName}@Example.com`,
      clinicId: 1,
    });
    expect(existing.email).toBe(`Ana.${lastName}@Example.com`); // kept as typed
    const someoneElse = {
      firstName: "Beatriz",
      lastName: uniqueSurname("Other"),
      email: `ana.${lastName}@example.COM`.toLowerCase(),
      clinicId: 1,
    };

    for (const confirmDuplicate of [false, true]) {
      const error = await failure(owner.patients.create({ ...someoneElse, confirmDuplicate }));
      expect(error.code).toBe("CONFLICT");
      const details = detailsOf<DuplicatePatientConflict>(error);
      expect(details).toMatchObject({ reason: "emailTaken", canConfirm: false });
      expect(details.matches.map((match) => [match.id, match.sameEmail])).toEqual([[existing.id, true]]);
    }
    const rows = await api.db.sql("select id from patient where lower(email) = lower($1)", [existing.email]);
    expect(rows).toHaveLength(1);
  });

  it("does not reveal another clinic's namesake to a receptionist: the patient is registered", async () => {
    const lastName = uniqueSurname("Hidden");
    await owner.patients.create({ firstName: "Dora", lastName, birthday: "1960-05-05", clinicId: 2 });
    const created = await receptionist.patients.create({
      firstName: "Dora",
      lastName,
      birthday: "1960-05-05",
      clinicId: 1,
    });
    expect(created.clinic.id).toBe(1);
  });

  it("registers one of two simultaneous saves of the same new person and warns the other", async () => {
    const person = { firstName: "Eve", lastName: uniqueSurname("Twin"), birthday: "2001-09-09", clinicId: 1 };
    const results = await Promise.allSettled([
      receptionist.patients.create(person),
      owner.patients.create(person),
      receptionist.patients.create(person),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect((result.reason as TRPCError).code).toBe("CONFLICT");
    }
  });

  it("is NOT_FOUND for a clinic that does not exist", async () => {
    const error = await failure(
      owner.patients.create({ firstName: "Nobody", lastName: uniqueSurname("Nowhere"), clinicId: 999 }),
    );
    expect(error.code).toBe("NOT_FOUND");
  });
});

describe("patients.update", () => {
  async function freshPatient(clinicId = 1): Promise<PatientRecord> {
    return owner.patients.create({
      firstName: "Farid",
      lastName: uniqueSurname("Haddad"),
      email: `farid.${++uniqueCounter}@example.test`,
      phone: "312-555-0199",
      birthday: "1992-12-12",
      clinicId,
    });
  }

  it("saves the changed fields of the current version, keeps the rest, and bumps the version", async () => {
    const patient = await freshPatient();
    const updated = await receptionist.patients.update({
      id: patient.id,
      version: patient.version,
      phone: "(312) 555-0100",
      address: null,
      notes: "Allergic to latex",
    });
    expect(updated).toMatchObject({
      phone: "(312) 555-0100",
      notes: "Allergic to latex",
      address: null,
      email: patient.email,
      firstName: patient.firstName,
      birthday: patient.birthday,
      version: patient.version + 1,
    });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(patient.updatedAt.getTime());
    const [row] = await api.db.sql("select phone, notes, version from patient where id = $1", [patient.id]);
    expect(row).toEqual({ phone: "(312) 555-0100", notes: "Allergic to latex", version: patient.version + 1 });
  });

  it("clears an optional field sent as null", async () => {
    const patient = await freshPatient();
    const updated = await owner.patients.update({ id: patient.id, version: patient.version, email: null });
    expect(updated.email).toBeNull();
  });

  it("refuses a save made from a stale version with a CONFLICT carrying the current record", async () => {
    const patient = await freshPatient();
    const first = await owner.patients.update({ id: patient.id, version: patient.version, phone: "312 555 0001" });

    const error = await failure(
      receptionist.patients.update({ id: patient.id, version: patient.version, phone: "312 555 0002" }),
    );
    expect(error.code).toBe("CONFLICT");
    const details = detailsOf<StalePatientConflict>(error);
    expect(details).toEqual({ reason: "stale", current: await owner.patients.byId({ id: patient.id }) });
    expect(details.current).toMatchObject({ phone: "312 555 0001", version: first.version });
    const [row] = await api.db.sql("select phone from patient where id = $1", [patient.id]);
    expect(row?.phone).toBe("312 555 0001"); // the first save was not lost
  });

  it("lets exactly one of two simultaneous saves of the same version through", async () => {
    let patient = await freshPatient();
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([
        owner.patients.update({ id: patient.id, version: patient.version, notes: `owner ${round}` }),
        receptionist.patients.update({ id: patient.id, version: patient.version, notes: `reception ${round}` }),
      ]);
      const saved = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
      const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason as TRPCError] : []));
      expect(saved).toHaveLength(1);
      expect(refused.map((error) => error.code)).toEqual(["CONFLICT"]);
      const [row] = await api.db.sql("select notes, version from patient where id = $1", [patient.id]);
      expect(row).toEqual({ notes: saved[0]?.notes, version: patient.version + 1 });
      patient = saved[0] as PatientRecord;
    }
  });

  it("refuses an email another patient has, in any casing", async () => {
    const [a, b] = [await freshPatient(), await freshPatient()];
    const error = await failure(
      owner.patients.update({ id: b.id, version: b.version, email: a.email?.toUpperCase() ?? null }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(detailsOf<DuplicatePatientConflict>(error)).toMatchObject({
      reason: "emailTaken",
      matches: [{ id: a.id, sameEmail: true }],
    });
    const [row] = await api.db.sql("select email, version from patient where id = $1", [b.id]);
    expect(row).toEqual({ email: b.email, version: b.version });
  });

  it("moves a patient to another clinic only for a caller who works at both", async () => {
    const patient = await freshPatient(1);
    const refused = await failure(
      receptionist.patients.update({ id: patient.id, version: patient.version, clinicId: 2 }),
    );
    expect(refused.code).toBe("FORBIDDEN");

    const moved = await owner.patients.update({ id: patient.id, version: patient.version, clinicId: 2 });
    expect(moved.clinic.id).toBe(2);
    expect((await failure(receptionist.patients.byId({ id: patient.id }))).code).toBe("NOT_FOUND");
    // Nor can the receptionist bring the patient back: clinic 2's patient is not theirs to see.
    const back = await failure(receptionist.patients.update({ id: patient.id, version: moved.version, clinicId: 1 }));
    expect(back.code).toBe("NOT_FOUND");
  });

  it("is NOT_FOUND for an id that does not exist", async () => {
    const error = await failure(owner.patients.update({ id: 9_999_999, version: 1, notes: "x" }));
    expect(error.code).toBe("NOT_FOUND");
  });
});

describe("patients.archive and patients.restore", () => {
  it("archives and restores a patient, keeping the row, and the list follows", async () => {
    const lastName = uniqueSurname("Archivist");
    const patient = await owner.patients.create({ firstName: "Greta", lastName, clinicId: 1 });
    const inList = async (archived: "exclude" | "only") =>
      (await receptionist.patients.list({ search: lastName, archived })).items.map((item) => item.id);

    expect(await inList("exclude")).toEqual([patient.id]);
    expect(await inList("only")).toEqual([]);

    const archived = await receptionist.patients.archive({ id: patient.id });
    expect(archived).toMatchObject({ archived: true, version: patient.version + 1 });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(await inList("exclude")).toEqual([]);
    expect(await inList("only")).toEqual([patient.id]);

    // Archiving again changes nothing, not even the date it was archived.
    const again = await receptionist.patients.archive({ id: patient.id });
    expect(again).toEqual(archived);

    const restored = await receptionist.patients.restore({ id: patient.id });
    expect(restored).toMatchObject({ archived: false, archivedAt: null, version: archived.version + 1 });
    expect(await receptionist.patients.restore({ id: patient.id })).toEqual(restored);
    expect(await inList("exclude")).toEqual([patient.id]);
    expect(await inList("only")).toEqual([]);
    expect(await api.db.sql("select id from patient where id = $1", [patient.id])).toHaveLength(1);
  });

  it("is NOT_FOUND for an id that does not exist", async () => {
    expect((await failure(owner.patients.archive({ id: 9_999_999 }))).code).toBe("NOT_FOUND");
    expect((await failure(owner.patients.restore({ id: 9_999_999 }))).code).toBe("NOT_FOUND");
  });
});

describe("who may do what with a record", () => {
  it("hides another clinic's patient from a receptionist: NOT_FOUND to read, edit, archive or restore", async () => {
    const id = await firstPatient("clinic_id = 2");
    const [before] = await api.db.sql("select version, archived_at, notes from patient where id = $1", [id]);
    const version = before?.version as number;
    const calls = [
      () => receptionist.patients.byId({ id }),
      () => receptionist.patients.update({ id, version, notes: "snooping" }),
      () => receptionist.patients.archive({ id }),
      () => receptionist.patients.restore({ id }),
    ];
    for (const call of calls) expect((await failure(call())).code).toBe("NOT_FOUND");
    const [after] = await api.db.sql("select version, archived_at, notes from patient where id = $1", [id]);
    expect(after).toEqual(before);
  });

  it("answers an unknown id and another clinic's patient alike", async () => {
    const id = await firstPatient("clinic_id = 2");
    const hidden = await failure(receptionist.patients.byId({ id }));
    const unknown = await failure(receptionist.patients.byId({ id: 9_999_998 }));
    expect(hidden.code).toBe(unknown.code);
    expect(hidden.message.replace(String(id), "N")).toBe(unknown.message.replace("9999998", "N"));
  });

  it("does not let a receptionist register a patient at a clinic they do not work at", async () => {
    const lastName = uniqueSurname("Elsewhere");
    const error = await failure(receptionist.patients.create({ firstName: "Hugo", lastName, clinicId: 2 }));
    expect(error.code).toBe("FORBIDDEN");
    expect(await api.db.sql("select id from patient where last_name = $1", [lastName])).toHaveLength(0);
  });

  it("lets a dentist read a record but not create, edit, archive or restore one", async () => {
    const id = await firstPatient("clinic_id = 1");
    const record = await dentist.patients.byId({ id });
    const calls = [
      () => dentist.patients.create({ firstName: "Ivo", lastName: uniqueSurname("Dent"), clinicId: 1 }),
      () => dentist.patients.update({ id, version: record.version, notes: "x" }),
      () => dentist.patients.archive({ id }),
      () => dentist.patients.restore({ id }),
    ];
    for (const call of calls) expect((await failure(call())).code).toBe("FORBIDDEN");
  });

  it("asks an anonymous caller to sign in", async () => {
    expect((await failure(api.anonymous.patients.byId({ id: 1 }))).code).toBe("UNAUTHORIZED");
  });
});

describe("record input", () => {
  it("answers bad input with BAD_REQUEST and an issue per field", async () => {
    const error = await failure(
      owner.patients.create({
        firstName: "   ",
        lastName: "x".repeat(101),
        email: "not-an-email",
        phone: "call me",
        birthday: "2999-01-01",
        clinicId: 0,
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.cause).toBeInstanceOf(ZodError);
    const { fieldErrors } = z.flattenError(error.cause as ZodError);
    expect(Object.keys(fieldErrors).sort()).toEqual([
      "birthday",
      "clinicId",
      "email",
      "firstName",
      "lastName",
      "phone",
    ]);
  });

  it.each([
    ["in the future", "2999-01-01"],
    ["before 1900", "1899-12-31"],
    ["not a calendar date", "2023-02-30"],
    ["not YYYY-MM-DD", "12/03/1990"],
  ])("refuses a birthday %s", async (_, birthday) => {
    const error = await failure(
      owner.patients.create({ firstName: "Jan", lastName: uniqueSurname("Date"), birthday, clinicId: 1 }),
    );
    expect(error.code).toBe("BAD_REQUEST");
  });

  it("refuses an edit without the version it was made from", async () => {
    const id = await firstPatient("clinic_id = 1");
    const error = await failure(
      owner.patients.update({ id, notes: "x" } as unknown as { id: number; version: number }),
    );
    expect(error.code).toBe("BAD_REQUEST");
  });
});

describe("patient records over HTTP", () => {
  let url: string;
  let token: string;
  beforeAll(async () => {
    url = await api.listen();
    const signedIn = await api.services.sessions.signIn(ACCOUNTS.owner, DEMO_PASSWORD);
    if (!signedIn) throw new Error("cannot sign in");
    token = signedIn.token;
  });

  const post = (path: string, input: unknown) =>
    fetch(`${url}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ json: input }),
    });

  interface ErrorBody {
    error: {
      json: {
        message: string;
        data: {
          code: string;
          zodError: { fieldErrors: Record<string, string[]> } | null;
          details: Record<string, unknown> | null;
        };
      };
    };
  }

  it("gives the form its field errors", async () => {
    const response = await post("patients.create", { firstName: "", lastName: "Ok", email: "nope", clinicId: 1 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(body.error.json.data.zodError?.fieldErrors ?? {}).sort()).toEqual(["email", "firstName"]);
  });

  it("sends a stale save's current record as the conflict's details", async () => {
    const patient = await owner.patients.create({ firstName: "Kai", lastName: uniqueSurname("Http"), clinicId: 1 });
    await owner.patients.update({ id: patient.id, version: patient.version, phone: "555 0100" });
    const response = await post("patients.update", { id: patient.id, version: patient.version, phone: "555 0199" });
    expect(response.status).toBe(409);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.json.data.code).toBe("CONFLICT");
    expect(body.error.json.data.details).toMatchObject({
      reason: "stale",
      current: { id: patient.id, phone: "555 0100", version: patient.version + 1 },
    });
  });
});
