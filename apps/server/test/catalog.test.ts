// The practice's reference data through the API: clinics, services and dentists, as each role may see them.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type Caller, createTestApi, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
let receptionist: Caller;
let dentist: Caller;
/** A dentist at clinics 1 and 2, and an archived dentist at clinic 1, added to the seeded staff. */
const added = { twoClinics: 0, archived: 0 };

beforeAll(async () => {
  api = await createTestApi({ patients: 20 });
  [owner, receptionist, dentist] = await Promise.all([
    api.as(ACCOUNTS.owner),
    api.as(ACCOUNTS.receptionist),
    api.as(ACCOUNTS.dentist),
  ]);
  const addDentist = async (name: string, archived: boolean, clinicIds: number[]) => {
    const [row] = await api.db.sql<{ id: number }>(
      `insert into staff_member (name, email, password_hash, role, archived, created_at)
        values ($1, $2, 'x', 'dentist', $3, now()) returning id`,
      [name, `${name.toLowerCase().replace(/\W+/g, ".")}@chairside.test`, archived],
    );
    for (const clinicId of clinicIds) {
      await api.db.sql("insert into staff_member_clinics values ($1, $2)", [row?.id, clinicId]);
    }
    return row?.id as number;
  };
  added.twoClinics = await addDentist("Aaron Twoclinics", false, [1, 2]);
  added.archived = await addDentist("Abigail Retired", true, [1]);
});
afterAll(() => api.close());

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

/** Non-archived dentists as the database has them, with the clinics they work at. */
async function dentistsInDatabase() {
  return api.db.sql<{ id: number; name: string; clinic_ids: number[] }>(
    `select m.id, m.name, array_agg(mc.clinic_id order by mc.clinic_id) as clinic_ids
      from staff_member m join staff_member_clinics mc on mc.staff_member_id = m.id
      where m.role = 'dentist' and not m.archived group by m.id order by m.name, m.id`,
  );
}

describe("clinics.list", () => {
  it("gives the owner every clinic, by name, with address, phone and time zone", async () => {
    const rows = await api.db.sql<{ id: number; name: string; address: string; phone: string; time_zone: string }>(
      "select id, name, address, phone, time_zone from clinic order by name, id",
    );
    expect(rows).toHaveLength(3);
    expect(await owner.clinics.list()).toEqual(
      rows.map((row) => ({
        id: row.id,
        name: row.name,
        address: row.address,
        phone: row.phone,
        timeZone: row.time_zone,
      })),
    );
  });

  it("gives receptionists and dentists only the clinics they work at", async () => {
    for (const caller of [receptionist, dentist]) {
      expect((await caller.clinics.list()).map((clinic) => clinic.id)).toEqual([1]);
    }
  });
});

describe("services.list", () => {
  it("lists every service by category, then name, for every role", async () => {
    const rows = await api.db.sql<{ id: number; name: string; category: string; duration_minutes: number }>(
      "select id, name, category, duration_minutes from service order by category, name, id",
    );
    expect(rows.length).toBeGreaterThan(5);
    const expected = rows.map((row) => ({
      id: row.id,
      name: row.name,
      category: row.category,
      durationMinutes: row.duration_minutes,
    }));
    for (const caller of [owner, receptionist, dentist]) expect(await caller.services.list()).toEqual(expected);
  });
});

describe("staff.dentists", () => {
  it("gives the owner every dentist taking appointments, by name, with all their clinics", async () => {
    const dentists = await owner.staff.dentists();
    expect(dentists).toEqual(
      (await dentistsInDatabase()).map((row) => ({ id: row.id, name: row.name, clinicIds: row.clinic_ids })),
    );
    expect(dentists.find((item) => item.id === added.twoClinics)?.clinicIds).toEqual([1, 2]);
    expect(dentists.map((item) => item.id)).not.toContain(added.archived);
  });

  it("gives clinic staff only their clinics' dentists, and hides the other clinics those dentists work at", async () => {
    const atClinic1 = (await dentistsInDatabase()).filter((row) => row.clinic_ids.includes(1));
    for (const caller of [receptionist, dentist]) {
      const dentists = await caller.staff.dentists();
      expect(dentists.map((item) => item.id)).toEqual(atClinic1.map((row) => row.id));
      for (const item of dentists) expect(item.clinicIds).toEqual([1]);
    }
  });

  it("narrows to one clinic on request, and to nothing for a clinic the caller does not work at", async () => {
    const atClinic2 = (await dentistsInDatabase()).filter((row) => row.clinic_ids.includes(2));
    const forOwner = await owner.staff.dentists({ clinicId: 2 });
    expect(forOwner.map((item) => item.id)).toEqual(atClinic2.map((row) => row.id));
    expect(forOwner.find((item) => item.id === added.twoClinics)?.clinicIds).toEqual([1, 2]);
    expect(await receptionist.staff.dentists({ clinicId: 2 })).toEqual([]);
    expect((await receptionist.staff.dentists({ clinicId: 1 })).map((item) => item.id)).toContain(added.twoClinics);
  });

  it("rejects a malformed clinic id as BAD_REQUEST", async () => {
    expect(await codeOf(owner.staff.dentists({ clinicId: -1 }))).toBe("BAD_REQUEST");
    expect(await codeOf(owner.staff.dentists({ clinicId: 1.5 }))).toBe("BAD_REQUEST");
  });
});

describe("reference data for signed-out callers", () => {
  it("is refused as UNAUTHORIZED", async () => {
    expect(await codeOf(api.anonymous.clinics.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(api.anonymous.services.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(api.anonymous.staff.dentists())).toBe("UNAUTHORIZED");
  });
});
