// Registering or editing a patient says nothing about patients of clinics the caller cannot see: an email is
// unique within a clinic, so another clinic's use of it is no conflict at all. Within what the caller sees, the
// same email at another clinic is a likely duplicate (a warning) and at the same clinic a refusal.
import { ChairsideError, type DuplicatePatientConflict } from "@chairside/db";
import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type Caller, createTestApi, failure, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
let receptionist: Caller;

beforeAll(async () => {
  api = await createTestApi({ patients: 60 });
  [owner, receptionist] = await Promise.all([api.as(ACCOUNTS.owner), api.as(ACCOUNTS.receptionist)]);
});
afterAll(() => api.close());

function conflictOf(error: TRPCError): DuplicatePatientConflict {
  expect(error.code).toBe("CONFLICT");
  expect(error.cause).toBeInstanceOf(ChairsideError);
  return (error.cause as ChairsideError<DuplicatePatientConflict>).details as DuplicatePatientConflict;
}

let counter = 0;
/** An email and surname no seeded patient has. */
const fresh = (base: string) => ({
  lastName: `${base}-${++counter}`,
  email: `${base.toLowerCase()}.${counter}@example.test`,
});

describe("an email used at a clinic the caller cannot see", () => {
  it("does not stop a receptionist registering a patient with it, nor tell them anything", async () => {
    const { lastName, email } = fresh("Hidden");
    const elsewhere = await owner.patients.create({ firstName: "Hugo", lastName, email, clinicId: 2 });
    const created = await receptionist.patients.create({
      firstName: "Carla",
      lastName: fresh("Vega").lastName,
      email: email.toUpperCase(),
      clinicId: 1,
    });
    expect(created).toMatchObject({ email: email.toUpperCase(), clinic: { id: 1 } });
    expect(created.id).not.toBe(elsewhere.id);
  });

  it("does not stop a receptionist giving it to one of their patients", async () => {
    const { lastName, email } = fresh("Elsewhere");
    await owner.patients.create({ firstName: "Ines", lastName, email, clinicId: 3 });
    const own = await receptionist.patients.create({ firstName: "Jon", lastName: fresh("Own").lastName, clinicId: 1 });
    const edited = await receptionist.patients.update({ id: own.id, version: own.version, email });
    expect(edited.email).toBe(email);
  });
});

describe("an email used at a clinic the caller sees", () => {
  it("at another clinic is a likely duplicate naming the match, which the caller may confirm", async () => {
    const { lastName, email } = fresh("Seen");
    const existing = await owner.patients.create({ firstName: "Kim", lastName, email, clinicId: 2 });
    const person = { firstName: "Lea", lastName: fresh("Other").lastName, email, clinicId: 1 };
    const conflict = conflictOf(await failure(owner.patients.create(person)));
    expect(conflict).toMatchObject({ reason: "likelyDuplicate", canConfirm: true });
    expect(conflict.matches.map((match) => [match.id, match.clinic.id, match.sameEmail])).toEqual([
      [existing.id, 2, true],
    ]);
    const created = await owner.patients.create({ ...person, confirmDuplicate: true });
    expect(created.clinic.id).toBe(1);
  });

  it("at the same clinic is refused, confirmed or not, naming the match", async () => {
    const { lastName, email } = fresh("Same");
    const existing = await receptionist.patients.create({ firstName: "Mia", lastName, email, clinicId: 1 });
    for (const confirmDuplicate of [false, true]) {
      const conflict = conflictOf(
        await failure(
          receptionist.patients.create({
            firstName: "Noa",
            lastName: fresh("Else").lastName,
            email: email.toUpperCase(),
            clinicId: 1,
            confirmDuplicate,
          }),
        ),
      );
      expect(conflict).toMatchObject({ reason: "emailTaken", canConfirm: false });
      expect(conflict.matches.map((match) => match.id)).toEqual([existing.id]);
    }
  });

  it("at the same clinic is refused when two saves race for it: exactly one is kept", async () => {
    const { email } = fresh("Race");
    const results = await Promise.allSettled(
      ["Oda", "Pia"].map((firstName) =>
        receptionist.patients.create({ firstName, lastName: fresh("Racer").lastName, email, clinicId: 1 }),
      ),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const [refused] = results.flatMap((result) => (result.status === "rejected" ? [result.reason as TRPCError] : []));
    expect(conflictOf(refused as TRPCError).reason).toBe("emailTaken");
    const rows = await api.db.sql("select id from patient where lower(email) = lower($1)", [email]);
    expect(rows).toHaveLength(1);
  });
});
