import { latestCompleted } from "@chairside/db";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, createTestApi, type TestApi } from "./harness.ts";
import { type OwnCluster, startOwnCluster } from "./own-cluster.ts";

type AppointmentStatus = "completed" | "confirmed" | "cancelled" | "missed";
const STATUSES: AppointmentStatus[] = ["completed", "confirmed", "completed", "cancelled", "missed"];

/** A small deterministic PRNG, so a failing run can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

async function lastVisitMismatches(sql: (text: string) => Promise<unknown[]>): Promise<number[]> {
  const patients = (await sql("select id, last_visit_id from patient")) as {
    id: number;
    last_visit_id: number | null;
  }[];
  const appointments = (await sql("select id, patient_id, starts_at, status from appointment")) as {
    id: number;
    patient_id: number;
    starts_at: Date;
    status: string;
  }[];
  const byPatient = Map.groupBy(appointments, (row) => row.patient_id);
  return patients
    .filter((patient) => {
      const rows = (byPatient.get(patient.id) ?? []).map((row) => ({ ...row, startsAt: new Date(row.starts_at) }));
      return (latestCompleted(rows)?.id ?? null) !== patient.last_visit_id;
    })
    .map((patient) => patient.id);
}

describe("concurrent completions", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ patients: 40 });
  });
  afterAll(() => api.close());

  it("leave every last visit equal to what the appointments say, whatever the interleaving", async () => {
    const [busiest] = await api.db.sql<{ patient_id: number }>(
      "select patient_id from appointment group by patient_id order by count(*) desc limit 1",
    );
    const ids = (
      await api.db.sql<{ id: number }>("select id from appointment where patient_id = $1", [busiest?.patient_id])
    ).map((row) => row.id);
    expect(ids.length).toBeGreaterThan(5);
    const owner = await api.as(ACCOUNTS.owner);
    for (const seed of [1, 2, 3]) {
      const pick = random(seed);
      const changes = Array.from({ length: 40 }, () => ({
        id: ids[pick(ids.length)] as number,
        status: STATUSES[pick(STATUSES.length)] as AppointmentStatus,
      }));
      // All at once: many transactions on one patient's appointments, racing for the patient row.
      const outcomes = await Promise.allSettled(changes.map((change) => owner.appointments.setStatus(change)));
      for (const outcome of outcomes) {
        // A reinstated appointment may clash with the dentist's diary; nothing else may fail.
        if (outcome.status === "rejected") expect((outcome.reason as TRPCError).code).toBe("CONFLICT");
      }
      expect(await lastVisitMismatches((text) => api.db.sql(text)), `seed ${seed}`).toEqual([]);
    }
  });
});

describe("PostgreSQL stopping in the middle of traffic", () => {
  let own: OwnCluster;
  beforeAll(async () => {
    own = await startOwnCluster({ patients: 60, seed: 4, durable: true });
  });
  afterAll(() => own.close());

  it("fails requests cleanly, recovers by itself, keeps every acknowledged write and half-applies none", async () => {
    const appointmentIds = (
      await own.orm.em.getConnection().execute<{ id: number }[]>("select id from appointment")
    ).map((row) => row.id);
    const created: string[] = [];
    const failures = new Map<string, number>();
    let phase: "before" | "down" | "after" = "before";
    const counts = { before: 0, down: 0, after: 0 };
    let running = true;

    const worker = async (index: number) => {
      const pick = random(index + 7);
      for (let step = 0; running; step++) {
        try {
          if (step % 2 === 0) {
            const lastName = `Fault${index}x${step}`;
            await own.caller().patients.create({ firstName: "Acknowledged", lastName, clinicId: 1 });
            created.push(lastName); // only once the server said it is saved
          } else {
            const id = appointmentIds[index * 40 + pick(40)] as number; // each worker its own appointments
            await own
              .caller()
              .appointments.setStatus({ id, status: STATUSES[pick(STATUSES.length)] as AppointmentStatus });
          }
          counts[phase]++;
        } catch (error) {
          const code = error instanceof TRPCError ? error.code : String(error);
          failures.set(code, (failures.get(code) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, index) => worker(index));
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
    };

    await until(() => counts.before >= 30);
    phase = "down";
    await own.stopDatabase(); // a fast shutdown: open transactions are rolled back
    await until(() => (failures.get("SERVICE_UNAVAILABLE") ?? 0) >= 6);
    await own.startDatabase();
    phase = "after";
    await until(() => counts.after >= 30);
    running = false;
    await Promise.all(workers);

    // While it was down, callers got "service unavailable", and nothing else went wrong.
    expect([...failures.keys()].filter((code) => code !== "SERVICE_UNAVAILABLE" && code !== "CONFLICT")).toEqual([]);
    const sql = (text: string) => own.orm.em.getConnection().execute<Record<string, unknown>[]>(text);
    const saved = new Set(
      (await sql("select last_name from patient where first_name = 'Acknowledged'")).map((row) => row.last_name),
    );
    expect(created.filter((lastName) => !saved.has(lastName))).toEqual([]);
    expect(await lastVisitMismatches(sql)).toEqual([]);
    // No connection was lost with the outage: the pool can still lend every one of its connections.
    await Promise.all(Array.from({ length: 10 }, () => own.caller().patients.list({ limit: 1 })));
    const pool = (await own.orm.em.getConnection().getNativeClient()) as unknown as {
      totalCount: number;
      idleCount: number;
    };
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the guard's grace period
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });
});
