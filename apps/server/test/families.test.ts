// Families: a child registered with a parent's email joins the parent's family; members may share an email and a
// phone, unrelated patients may not share an email at a clinic; linking and unlinking are audited and versioned.
import { ChairsideError, type DuplicatePatientConflict, type FamilyConflict } from "@chairside/db";
import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type Caller, createTestApi, failure, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
let receptionist: Caller;
let dentist: Caller;

beforeAll(async () => {
  api = await createTestApi({ patients: 60 });
  [owner, receptionist, dentist] = await Promise.all([
    api.as(ACCOUNTS.owner),
    api.as(ACCOUNTS.receptionist),
    api.as(ACCOUNTS.dentist),
  ]);
});
afterAll(() => api.close());

function detailsOf<Details>(error: TRPCError): Details {
  expect(error.cause).toBeInstanceOf(ChairsideError);
  return (error.cause as ChairsideError<Details>).details as Details;
}

let counter = 0;
/** A surname and email no seeded patient has. */
const fresh = (base: string) => {
  counter += 1;
  return { lastName: `${base}-${counter}`, email: `${base.toLowerCase()}.${counter}@family.test` };
};

async function parentAndChild(base: string) {
  const { lastName, email } = fresh(base);
  const parent = await receptionist.patients.create({
    firstName: "Marta",
    lastName,
    email,
    phone: "+34 600 11 22 33",
    clinicId: 1,
  });
  const child = await receptionist.patients.create({
    firstName: "Leo",
    lastName,
    email: email.toUpperCase(),
    phone: "600112233",
    birthday: "2019-04-02",
    clinicId: 1,
    familyOf: parent.id,
  });
  return { parent, child, email, lastName };
}

async function auditOf(patientId: number, action: string) {
  await api.auditWriter.flush();
  return api.db.sql<{ patient_id: number; staff_id: number; clinic_id: number; details: Record<string, unknown> }>(
    "select patient_id, staff_id, clinic_id, details from audit_entry where patient_id = $1 and action = $2 order by id",
    [patientId, action],
  );
}

describe("registering a child with a parent's email", () => {
  it("is refused without a family, naming the parent, who the child can join", async () => {
    const { lastName, email } = fresh("Refused");
    const parent = await receptionist.patients.create({ firstName: "Ana", lastName, email, clinicId: 1 });
    const refused = await failure(receptionist.patients.create({ firstName: "Pau", lastName, email, clinicId: 1 }));
    expect(refused.code).toBe("CONFLICT");
    const conflict = detailsOf<DuplicatePatientConflict>(refused);
    expect(conflict).toMatchObject({ reason: "emailTaken", canConfirm: false });
    expect(conflict.matches.map((match) => [match.id, match.sameEmail, match.sameFamily])).toEqual([
      [parent.id, true, false],
    ]);
  });

  it("is allowed in the parent's family: both records show the family, guarantor first", async () => {
    const { parent, child } = await parentAndChild("Allowed");
    const family = [
      { id: parent.id, firstName: "Marta", lastName: parent.lastName, birthday: null, clinicId: 1, guarantor: true },
      {
        id: child.id,
        firstName: "Leo",
        lastName: parent.lastName,
        birthday: "2019-04-02",
        clinicId: 1,
        guarantor: false,
      },
    ];
    expect(child.family).toEqual(family);
    expect((await receptionist.patients.byId({ id: parent.id })).family).toEqual(family);
    const [created] = await auditOf(child.id, "patient.create");
    expect(created?.details).toMatchObject({ familyOf: parent.id });
  });

  it("joins the guarantor's family when registered beside another child", async () => {
    const { parent, child, email, lastName } = await parentAndChild("Sibling");
    const sibling = await receptionist.patients.create({
      firstName: "Noa",
      lastName,
      email,
      clinicId: 1,
      familyOf: child.id,
    });
    expect(sibling.family?.map((member) => [member.id, member.guarantor])).toEqual([
      [parent.id, true],
      [child.id, false],
      [sibling.id, false],
    ]);
  });

  it("is not a likely duplicate of the family it shares the email with", async () => {
    const { lastName, email } = fresh("Across");
    const parent = await owner.patients.create({ firstName: "Rosa", lastName, email, clinicId: 2 });
    // The same email at another clinic warns, unless the patient is registered in that family.
    const warned = detailsOf<DuplicatePatientConflict>(
      await failure(owner.patients.create({ firstName: "Iker", lastName, email, clinicId: 1 })),
    );
    expect(warned.reason).toBe("likelyDuplicate");
    const child = await owner.patients.create({ firstName: "Iker", lastName, email, clinicId: 1, familyOf: parent.id });
    expect(child.family?.map((member) => member.id)).toEqual([parent.id, child.id]);
  });

  it("still warns of the same person inside the family (same names and email)", async () => {
    const { parent, email, lastName } = await parentAndChild("Twice");
    const conflict = detailsOf<DuplicatePatientConflict>(
      await failure(
        receptionist.patients.create({ firstName: "Leo", lastName, email, clinicId: 1, familyOf: parent.id }),
      ),
    );
    expect(conflict).toMatchObject({ reason: "likelyDuplicate", canConfirm: true });
    expect(conflict.matches.find((match) => match.firstName === "Leo")).toMatchObject({
      sameNameAndEmail: true,
      sameFamily: true,
    });
  });

  it("names a family the caller cannot see as NOT_FOUND, and bad ids as BAD_REQUEST", async () => {
    const elsewhere = await owner.patients.create({ firstName: "Olga", ...fresh("Hidden"), clinicId: 2 });
    const hidden = await failure(
      receptionist.patients.create({ firstName: "Ari", ...fresh("Seen"), clinicId: 1, familyOf: elsewhere.id }),
    );
    expect(hidden.code).toBe("NOT_FOUND");
    const bad = await failure(
      receptionist.patients.create({ firstName: "Ari", ...fresh("Bad"), clinicId: 1, familyOf: -3 as number }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
  });
});

describe("linking and unlinking family members", () => {
  it("links a patient into a family, from the version the user saw, audited", async () => {
    const { parent } = await parentAndChild("Link");
    const aunt = await receptionist.patients.create({ firstName: "Eva", ...fresh("Aunt"), clinicId: 1 });
    const linked = await receptionist.patients.linkFamily({ id: aunt.id, version: aunt.version, familyOf: parent.id });
    expect(linked.family?.map((member) => member.id)).toContain(aunt.id);
    expect(linked.version).toBe(aunt.version + 1);
    const [entry] = await auditOf(aunt.id, "patient.family");
    expect(entry?.details).toMatchObject({ change: "link", from: null, to: parent.id, familyOf: parent.id });

    const stale = await failure(receptionist.patients.unlinkFamily({ id: aunt.id, version: aunt.version }));
    expect(stale.code).toBe("CONFLICT");
    expect(detailsOf<{ reason: string }>(stale).reason).toBe("stale");
    const unlinked = await receptionist.patients.unlinkFamily({ id: aunt.id, version: linked.version });
    expect(unlinked.family).toBeNull();
    const entries = await auditOf(aunt.id, "patient.family");
    expect(entries.map((row) => row.details.change)).toEqual(["link", "unlink"]);
  });

  it("refuses to unlink a member who shares an email with the family: change it first", async () => {
    const { child } = await parentAndChild("Shared");
    const conflict = await failure(receptionist.patients.unlinkFamily({ id: child.id, version: child.version }));
    expect(detailsOf<DuplicatePatientConflict>(conflict).reason).toBe("emailTaken");
    const own = await receptionist.patients.update({
      id: child.id,
      version: child.version,
      email: `${fresh("own").email}`,
    });
    expect((await receptionist.patients.unlinkFamily({ id: child.id, version: own.version })).family).toBeNull();
  });

  it("refuses to give a family member's email to an unrelated patient", async () => {
    const { email } = await parentAndChild("Taken");
    const other = await receptionist.patients.create({ firstName: "Tom", ...fresh("Other"), email: null, clinicId: 1 });
    const refused = await failure(receptionist.patients.update({ id: other.id, version: other.version, email }));
    expect(detailsOf<DuplicatePatientConflict>(refused).reason).toBe("emailTaken");
  });

  it("keeps the email rule when an edit and a registration race for one email: exactly one is kept", async () => {
    const { email } = fresh("Racing");
    const own = await receptionist.patients.create({ firstName: "Rut", ...fresh("Edited"), email: null, clinicId: 1 });
    const results = await Promise.allSettled([
      receptionist.patients.update({ id: own.id, version: own.version, email }),
      receptionist.patients.create({ firstName: "Sol", ...fresh("Registered"), email, clinicId: 1 }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const rows = await api.db.sql("select id from patient where lower(email) = lower($1)", [email]);
    expect(rows).toHaveLength(1);
  });

  it("refuses to take the guarantor out while the family has other members", async () => {
    const { parent } = await parentAndChild("Guarantor");
    const current = await receptionist.patients.byId({ id: parent.id });
    const refused = await failure(receptionist.patients.unlinkFamily({ id: parent.id, version: current.version }));
    expect(detailsOf<FamilyConflict>(refused).reason).toBe("guarantorWithMembers");
  });

  it("refuses bad input with field issues, another clinic's patient as NOT_FOUND, and dentists", async () => {
    const own = await receptionist.patients.create({ firstName: "Ida", ...fresh("Own"), clinicId: 1 });
    const self = await failure(
      receptionist.patients.linkFamily({ id: own.id, version: own.version, familyOf: own.id }),
    );
    expect(self.code).toBe("BAD_REQUEST");
    const wrong = await failure(
      receptionist.patients.linkFamily({ id: "x" as unknown as number, version: 1, familyOf: own.id }),
    );
    expect(wrong.code).toBe("BAD_REQUEST");
    const elsewhere = await owner.patients.create({ firstName: "Ugo", ...fresh("Away"), clinicId: 2 });
    for (const call of [
      () => receptionist.patients.linkFamily({ id: own.id, version: own.version, familyOf: elsewhere.id }),
      () => receptionist.patients.linkFamily({ id: elsewhere.id, version: elsewhere.version, familyOf: own.id }),
      () => receptionist.patients.unlinkFamily({ id: elsewhere.id, version: elsewhere.version }),
    ]) {
      expect((await failure(call())).code).toBe("NOT_FOUND");
    }
    const forbidden = await failure(dentist.patients.unlinkFamily({ id: own.id, version: own.version }));
    expect(forbidden.code).toBe("FORBIDDEN");
  });

  it("audits whose family names a record view showed", async () => {
    const { parent, child } = await parentAndChild("Viewed");
    await receptionist.patients.byId({ id: child.id });
    const views = await auditOf(child.id, "patient.view");
    expect(views.at(-1)?.details).toEqual({ familyShown: [parent.id] });
  });
});

describe("likely duplicates", () => {
  it("warns of the same names and phone digits, without a birthday", async () => {
    const { lastName } = fresh("García");
    const first = await receptionist.patients.create({
      firstName: "Ana",
      lastName,
      phone: "+34 (600) 12-34-56",
      clinicId: 1,
    });
    const conflict = detailsOf<DuplicatePatientConflict>(
      await failure(
        receptionist.patients.create({
          firstName: "ana",
          lastName: lastName.toUpperCase(),
          // Without the country code, and written another way: the same number.
          phone: "600.123.456",
          clinicId: 1,
        }),
      ),
    );
    expect(conflict).toMatchObject({ reason: "likelyDuplicate", canConfirm: true });
    expect(conflict.matches.map((match) => [match.id, match.sameNameAndPhone, match.sameNameAndBirthday])).toEqual([
      [first.id, true, false],
    ]);
    const other = await receptionist.patients.create({
      firstName: "Ana",
      lastName,
      phone: "+34 600 99 99 99",
      clinicId: 1,
    });
    expect(other.id).not.toBe(first.id);
  });

  it("warns of the same names however their marks are typed, as search compares them", async () => {
    const { lastName } = fresh("O'Neill");
    const first = await receptionist.patients.create({
      firstName: "Mary-Kate",
      lastName,
      birthday: "1980-02-03",
      clinicId: 1,
    });
    const conflict = detailsOf<DuplicatePatientConflict>(
      await failure(
        receptionist.patients.create({
          firstName: "Marykate",
          lastName: lastName.replace("'", "").replace("-", " "),
          birthday: "1980-02-03",
          clinicId: 1,
        }),
      ),
    );
    expect(conflict.matches.map((match) => [match.id, match.sameNameAndBirthday])).toEqual([[first.id, true]]);
  });

  it("warns of the same names and email at another clinic", async () => {
    const { lastName, email } = fresh("Mail");
    const first = await owner.patients.create({ firstName: "Bea", lastName, email, clinicId: 2 });
    const conflict = detailsOf<DuplicatePatientConflict>(
      await failure(owner.patients.create({ firstName: "Bea", lastName, email, clinicId: 3 })),
    );
    expect(conflict.matches.map((match) => [match.id, match.sameNameAndEmail, match.sameEmail])).toEqual([
      [first.id, true, true],
    ]);
  });
});
