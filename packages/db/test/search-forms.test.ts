// The stored forms search compares: names without their marks (search_key) and phones on their national digits
// (phone_national_digits), made by PostgreSQL for new rows and, by the migration, for the rows already there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChairsideOrm } from "../src/orm.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let orm: ChairsideOrm;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await db.orm();
});
afterAll(() => db.drop());

const BEFORE_SEARCH_FORMS = "Migration20261202010119_patient_tally";

async function one<T>(text: string, values: unknown[]): Promise<T> {
  const [row] = await db.sql<{ value: T }>(text, values);
  return row?.value as T;
}

describe("search_key", () => {
  it.each([
    ["O'Brien", "obrien"],
    ["O’Brien", "obrien"],
    ["OʼBrien", "obrien"],
    ["Smith-Jones", "smithjones"],
    ["Smith – Jones", "smithjones"],
    ["St. John", "stjohn"],
    ["García Núñez", "garcianunez"],
    ["Ångström", "angstrom"],
    ["ana_garcia@example.test", "ana_garcia@exampletest"],
  ])("compares %s as %s", async (text, key) => {
    expect(await one("select search_key($1) as value", [text])).toBe(key);
  });
});

describe("phone_national_digits", () => {
  it.each([
    ["+1 917 555 0180", "9175550180"],
    ["+19175550180", "9175550180"],
    ["1-917-555-0180", "9175550180"],
    ["917.555.0180", "9175550180"],
    ["(917) 555-0180", "9175550180"],
    ["9175550180", "9175550180"],
    ["+1 (555) 0123", "5550123"],
    ["+1", "1"],
    ["555-0180", "5550180"],
    ["19175550", "19175550"],
    ["+34 914 55 01 23", "34914550123"],
  ])("reads %s as %s", async (phone, digits) => {
    expect(await one("select phone_national_digits($1) as value", [phone])).toBe(digits);
  });
});

describe("the migration to these forms", () => {
  it("makes them anew for the patients already stored (db:migrate on an existing database)", async () => {
    await orm.migrator.down({ to: BEFORE_SEARCH_FORMS });
    await db.sql(
      `insert into clinic (id, name, address, phone, time_zone) values (1, 'Clinic', 'Street', '1', 'America/New_York')`,
    );
    await db.sql(
      `insert into patient (first_name, last_name, email, phone, clinic_id, created_at, updated_at)
       values ('Mia', 'O''Brien', 'Mia.OBrien@Example.test', '+1 (917) 555-0180', 1, now(), now())`,
    );
    const before = await db.sql("select search_last_name, search_text from patient");
    expect(before).toEqual([
      { search_last_name: "o'brien", search_text: "mia o'brien mia.obrien@example.test 19175550180" },
    ]);
    await orm.migrator.up();
    const after = await db.sql("select search_first_name, search_last_name, search_text, phone_digits from patient");
    expect(after).toEqual([
      {
        search_first_name: "mia",
        search_last_name: "obrien",
        search_text: "mia obrien miaobrien@exampletest 9175550180",
        phone_digits: "9175550180",
      },
    ]);
    expect(await orm.migrator.getPending()).toEqual([]);
  });
});
