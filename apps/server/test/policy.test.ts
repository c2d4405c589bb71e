import type { StaffRole } from "@chairside/db";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/routers/root.ts";
import { type Access, POLICY } from "../src/trpc/policy.ts";
import { ACCOUNTS, type Caller, createTestApi, type TestApi } from "./harness.ts";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ patients: 20 });
});
afterAll(() => api.close());

const procedurePaths = Object.keys(appRouter._def.procedures).sort();
const roles: StaffRole[] = ["owner", "receptionist", "dentist"];
const accountOf: Record<StaffRole, string> = {
  owner: ACCOUNTS.owner,
  receptionist: ACCOUNTS.receptionist,
  dentist: ACCOUNTS.dentist,
};

/** Calls a procedure by its dotted path, with an input that passes no validation it requires. */
async function call(caller: Caller, path: string, input: unknown): Promise<string> {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  try {
    await (target as (input: unknown) => Promise<unknown>)(input);
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

/** What the policy table says a caller gets: refused (UNAUTHORIZED / FORBIDDEN) or let through. */
function expected(path: string, role: StaffRole | "anonymous"): "UNAUTHORIZED" | "FORBIDDEN" | "let through" {
  const access: Access = POLICY[path as keyof typeof POLICY];
  if (access === "anyone") return "let through";
  if (role === "anonymous") return "UNAUTHORIZED";
  if (access === "signed-in") return "let through";
  return access[role] ? "let through" : "FORBIDDEN";
}

describe("the policy table", () => {
  it("has exactly one row for every procedure", () => {
    expect(Object.keys(POLICY).sort()).toEqual(procedurePaths);
  });

  it("lets anonymous callers reach only login (and /health, outside tRPC)", () => {
    const open = Object.entries(POLICY)
      .filter(([, access]) => access === "anyone")
      .map(([path]) => path);
    expect(open).toEqual(["auth.login"]);
  });

  for (const path of procedurePaths) {
    it.each(["anonymous", ...roles] as const)(`decides ${path} for %s`, async (role) => {
      // A fresh session per call: auth.logout must not end a session another row relies on.
      const caller = role === "anonymous" ? api.anonymous : await api.as(accountOf[role]);
      // An input that fails validation: a call the policy lets through ends in BAD_REQUEST (or runs,
      // for procedures whose input is all optional), never in UNAUTHORIZED or FORBIDDEN.
      const outcome = await call(caller, path, { id: "not-a-number", patientId: "x" });
      const verdict = expected(path, role);
      if (verdict === "let through") expect(["OK", "BAD_REQUEST"]).toContain(outcome);
      else expect(outcome).toBe(verdict);
    });
  }
});

describe("another clinic's patient", () => {
  // Receptionist and dentist work at clinic 1 only; the owner everywhere. A clinic-2 patient must look,
  // to them, exactly like one that does not exist.
  let target: { patient: number; version: number; appointment: number; dentist: number; service: number };

  beforeAll(async () => {
    const [row] = await api.db.sql<{ patient: number; version: number; appointment: number; dentist: number }>(
      `select p.id as patient, p.version, a.id as appointment, a.dentist_id as dentist
         from patient p join appointment a on a.patient_id = p.id
        where p.clinic_id = 2 and p.archived_at is null order by p.id, a.id limit 1`,
    );
    const [service] = await api.db.sql<{ id: number }>("select id from service order by id limit 1");
    target = { ...(row as Omit<typeof target, "service">), service: (service as { id: number }).id };
  });

  const cases: [string, () => unknown][] = [
    ["patients.byId", () => ({ id: target.patient })],
    ["patients.update", () => ({ id: target.patient, version: target.version, notes: "seen" })],
    ["patients.archive", () => ({ id: target.patient })],
    ["patients.restore", () => ({ id: target.patient })],
    ["patients.unlinkFamily", () => ({ id: target.patient, version: target.version })],
    ["patients.linkFamily", () => ({ id: target.patient, version: target.version, familyOf: target.patient + 1 })],
    ["appointments.listByPatient", () => ({ patientId: target.patient })],
    [
      "appointments.create",
      () => ({
        patientId: target.patient,
        dentistId: target.dentist,
        serviceId: target.service,
        startsAt: new Date("2031-03-03T10:00:00Z"),
      }),
    ],
    ["appointments.setStatus", () => ({ id: target.appointment, status: "confirmed" })],
    ["appointments.reschedule", () => ({ id: target.appointment, startsAt: new Date("2031-04-04T10:00:00Z") })],
    ["alerts.add", () => ({ patientId: target.patient, kind: "allergy", text: "Latex" })],
  ];

  it.each(cases)(
    "%s: NOT_FOUND for staff of other clinics (or FORBIDDEN by the table), served to the owner",
    async (path, input) => {
      for (const role of ["receptionist", "dentist"] as const) {
        const outcome = await call(await api.as(accountOf[role]), path, input());
        expect(outcome, role).toBe(expected(path, role) === "FORBIDDEN" ? "FORBIDDEN" : "NOT_FOUND");
      }
      const ownerOutcome = await call(await api.as(accountOf.owner), path, input());
      expect(["OK", "CONFLICT"]).toContain(ownerOutcome);
    },
  );

  it("patients.list with that clinic's filter shows them nothing", async () => {
    const receptionist = await api.as(ACCOUNTS.receptionist);
    expect((await receptionist.patients.list({ clinicId: 2 })).items).toEqual([]);
    expect((await receptionist.patients.counts({ clinicId: 2 })).all).toBe(0);
  });
});
