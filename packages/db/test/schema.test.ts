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

describe("the migrated schema", () => {
  it("matches the entities exactly (no migration is missing)", async () => {
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe("");
  });

  it("has no migration left to apply", async () => {
    expect(await orm.migrator.getPending()).toEqual([]);
  });

  it("declares every index the patient list needs", async () => {
    const rows = await db.sql<{ indexname: string }>(
      "select indexname from pg_indexes where schemaname = 'public' and tablename in ('patient', 'appointment', 'staff_member') order by indexname",
    );
    expect(rows.map((row) => row.indexname)).toEqual([
      "appointment_patient_starts_idx",
      "appointment_pkey",
      "patient_archived_name_idx",
      "patient_clinic_created_idx",
      "patient_clinic_last_visit_idx",
      "patient_clinic_name_idx",
      "patient_created_idx",
      "patient_email_unique",
      "patient_last_visit_idx",
      "patient_name_idx",
      "patient_pkey",
      "patient_search_trgm_idx",
      "staff_member_email_unique",
      "staff_member_pkey",
    ]);
  });

  it("rolls back and re-applies cleanly", async () => {
    await orm.migrator.down({ to: 0 });
    const tables = await db.sql("select 1 from pg_tables where schemaname = 'public' and tablename = 'patient'");
    expect(tables).toHaveLength(0);
    await orm.migrator.up();
    expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe("");
  });
});
