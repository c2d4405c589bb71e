import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { latestCompleted } from "../src/clinic-rules.ts";
import { Appointment, type AppointmentStatus, Clinic, Patient, Service, StaffMember } from "../src/entities/index.ts";
import type { ChairsideOrm } from "../src/orm.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let orm: ChairsideOrm;
let statements: string[];
let ids: { clinic: number; service: number; dentist: number };

beforeAll(async () => {
  db = await createTestDatabase();
  ({ orm, statements } = await db.recordingOrm());
  const em = orm.em.fork();
  const clinic = em.create(Clinic, { name: "Main St", address: "1 Main St", phone: "555", timeZone: "Europe/Madrid" });
  const service = em.create(Service, { name: "Check-up", category: "Preventive", durationMinutes: 30 });
  const dentist = em.create(StaffMember, {
    name: "Dr. Ruiz",
    email: "ruiz@example.test",
    passwordHash: "x",
    role: "dentist",
  });
  await em.flush();
  ids = { clinic: clinic.id, service: service.id, dentist: dentist.id };
});
afterAll(() => db.drop());

async function newPatient(): Promise<number> {
  const em = orm.em.fork();
  const patient = em.create(Patient, { firstName: "Ana", lastName: "García", clinic: ids.clinic });
  await em.flush();
  return patient.id;
}

async function book(patient: number, startsAt: string, status: AppointmentStatus = "pending"): Promise<number> {
  const em = orm.em.fork();
  const appointment = em.create(Appointment, {
    patient,
    dentist: ids.dentist,
    service: ids.service,
    clinic: ids.clinic,
    startsAt: new Date(startsAt),
    status,
    completedAt: status === "completed" ? new Date(startsAt) : null,
  });
  await em.flush();
  return appointment.id;
}

async function update(id: number, changes: Partial<{ status: AppointmentStatus; startsAt: Date; patient: number }>) {
  const em = orm.em.fork();
  const appointment = await em.findOneOrFail(Appointment, id);
  em.assign(appointment, changes);
  await em.flush();
}

async function lastVisitOf(patient: number): Promise<{ id: number | null; at: Date | null }> {
  const [row] = await db.sql<{ last_visit_id: number | null; last_visit_at: Date | null }>(
    "select last_visit_id, last_visit_at from patient where id = $1",
    [patient],
  );
  return { id: row?.last_visit_id ?? null, at: row?.last_visit_at ?? null };
}

describe("a patient's last visit", () => {
  let patient: number;
  beforeEach(async () => {
    patient = await newPatient();
  });

  it("is set when an appointment is completed, with when it took place", async () => {
    const visit = await book(patient, "2026-01-10T09:00:00Z");
    expect(await lastVisitOf(patient)).toEqual({ id: null, at: null });
    await update(visit, { status: "completed" });
    expect(await lastVisitOf(patient)).toEqual({ id: visit, at: new Date("2026-01-10T09:00:00Z") });
  });

  it("stays on the newer visit when an older appointment is completed afterwards", async () => {
    const newer = await book(patient, "2026-03-01T09:00:00Z", "completed");
    const older = await book(patient, "2025-03-01T09:00:00Z");
    await update(older, { status: "completed" });
    expect((await lastVisitOf(patient)).id).toBe(newer);
  });

  it("falls back to the previous visit when a completion is undone", async () => {
    const first = await book(patient, "2025-01-01T09:00:00Z", "completed");
    const second = await book(patient, "2026-01-01T09:00:00Z", "completed");
    expect((await lastVisitOf(patient)).id).toBe(second);
    await update(second, { status: "confirmed" });
    expect((await lastVisitOf(patient)).id).toBe(first);
    await update(first, { status: "missed" });
    expect(await lastVisitOf(patient)).toEqual({ id: null, at: null });
  });

  it("falls back when the last visit's appointment is deleted", async () => {
    const first = await book(patient, "2025-01-01T09:00:00Z", "completed");
    const second = await book(patient, "2026-01-01T09:00:00Z", "completed");
    const em = orm.em.fork();
    em.remove(em.getReference(Appointment, second));
    await em.flush();
    expect((await lastVisitOf(patient)).id).toBe(first);
  });

  it("follows a completed appointment that is moved in time", async () => {
    const first = await book(patient, "2025-01-01T09:00:00Z", "completed");
    const second = await book(patient, "2026-01-01T09:00:00Z", "completed");
    await update(first, { startsAt: new Date("2026-02-01T09:00:00Z") });
    expect(await lastVisitOf(patient)).toEqual({ id: first, at: new Date("2026-02-01T09:00:00Z") });
    expect(second).toBeGreaterThan(first);
  });

  it("moves with an appointment booked to the wrong patient and corrected", async () => {
    const other = await newPatient();
    const visit = await book(patient, "2026-01-01T09:00:00Z", "completed");
    await update(visit, { patient: other });
    expect((await lastVisitOf(patient)).id).toBeNull();
    expect((await lastVisitOf(other)).id).toBe(visit);
  });

  it("changes in the same transaction: a rolled-back completion leaves it untouched", async () => {
    const visit = await book(patient, "2026-01-01T09:00:00Z");
    await expect(
      orm.em.fork().transactional(async (em) => {
        const appointment = await em.findOneOrFail(Appointment, visit);
        appointment.status = "completed";
        await em.flush();
        const [inside] = await em.execute("select last_visit_id from patient where id = ?", [patient]);
        expect(inside?.last_visit_id).toBe(visit); // visible inside the transaction...
        throw new Error("abandon the edit");
      }),
    ).rejects.toThrow("abandon the edit");
    expect((await lastVisitOf(patient)).id).toBeNull(); // ...and gone with it
  });

  it("is not written by an edit that cannot change it", async () => {
    const visit = await book(patient, "2026-01-01T09:00:00Z", "completed");
    const [before] = await db.sql<{ xmin: string }>("select xmin from patient where id = $1", [patient]);
    const em = orm.em.fork();
    const appointment = await em.findOneOrFail(Appointment, visit);
    appointment.notes = "flossing advice given";
    await em.flush();
    const [after] = await db.sql<{ xmin: string }>("select xmin from patient where id = $1", [patient]);
    expect(after?.xmin).toBe(before?.xmin);
  });

  it("agrees with the rule in clinic-rules.ts through a random series of changes", async () => {
    let state = 42;
    const random = (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state % n;
    };
    const statuses: AppointmentStatus[] = ["completed", "completed", "cancelled", "confirmed", "missed"];
    const appointments: number[] = [];
    for (let step = 0; step < 60; step++) {
      const action = appointments.length === 0 ? 0 : random(4);
      const startsAt = new Date(Date.UTC(2022, 0, 1) + random(1500) * 86_400_000 + random(3) * 3_600_000);
      if (action === 0) {
        appointments.push(await book(patient, startsAt.toISOString(), statuses[random(statuses.length)]));
      } else if (action === 1) {
        await update(appointments[random(appointments.length)] as number, {
          status: statuses[random(statuses.length)] as AppointmentStatus,
        });
      } else if (action === 2) {
        await update(appointments[random(appointments.length)] as number, { startsAt });
      } else {
        const [removed] = appointments.splice(random(appointments.length), 1);
        await db.sql("delete from appointment where id = $1", [removed]);
      }
      const rows = await db.sql<{ id: number; starts_at: Date; status: string }>(
        "select id, starts_at, status from appointment where patient_id = $1",
        [patient],
      );
      const expected = latestCompleted(rows.map((row) => ({ ...row, startsAt: row.starts_at })));
      expect((await lastVisitOf(patient)).id, `after step ${step}`).toBe(expected?.id ?? null);
    }
  });
});

describe("loading patients with their last visit", () => {
  it("takes one SQL statement for a page, however many patients have visits", async () => {
    for (let i = 0; i < 5; i++) await book(await newPatient(), `2026-0${i + 1}-01T09:00:00Z`, "completed");
    statements.length = 0;
    const em = orm.em.fork();
    const page = await em.find(
      Patient,
      {},
      { populate: ["lastVisit", "lastVisit.service", "lastVisit.dentist"], limit: 50, orderBy: { id: "asc" } },
    );
    expect(statements).toHaveLength(1);
    expect(page.filter((patient) => patient.lastVisit).length).toBeGreaterThanOrEqual(5);
    expect(page.find((patient) => patient.lastVisit)?.lastVisit?.$.service.$.name).toBe("Check-up");
  });
});
