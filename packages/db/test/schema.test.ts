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

  it("is what the entities alone create, index by index and column by column", async () => {
    // The diff above compares expression indexes by name only; PostgreSQL's own rendering of both schemas
    // compares everything. `entitiesOnly` keeps the migrations' functions and extensions, drops the tables,
    // and lets the ORM create them from the entity definitions.
    const describeSchema = (database: TestDatabase) =>
      Promise.all([
        database.sql(
          "select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' and tablename <> 'mikro_orm_migrations' order by 1, 2",
        ),
        database.sql(
          "select table_name, column_name, data_type, is_nullable, column_default, generation_expression from information_schema.columns where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by 1, 2",
        ),
        database.sql(
          "select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as definition from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2",
        ),
        database.sql(
          "select tgrelid::regclass::text as table_name, tgname, pg_get_triggerdef(oid) as definition from pg_trigger where not tgisinternal order by 1, 2",
        ),
      ]);
    const entitiesOnly = await createTestDatabase();
    try {
      const entityOrm = await entitiesOnly.orm();
      await entityOrm.schema.drop();
      await entityOrm.schema.create();
      expect(await describeSchema(entitiesOnly)).toEqual(await describeSchema(db));
    } finally {
      await entitiesOnly.drop();
    }
  });

  it("has no migration left to apply", async () => {
    expect(await orm.migrator.getPending()).toEqual([]);
  });

  it("declares every index the patient list, the appointments and the audit trail need", async () => {
    const rows = await db.sql<{ indexname: string }>(
      "select indexname from pg_indexes where schemaname = 'public' and tablename in ('patient', 'patient_tally', 'appointment', 'staff_member', 'staff_session', 'audit_entry', 'medical_alert') order by indexname",
    );
    expect(rows.map((row) => row.indexname)).toEqual([
      "appointment_dentist_starts_idx",
      "appointment_patient_starts_idx",
      "appointment_pkey",
      "audit_entry_at_idx",
      "audit_entry_patient_at_idx",
      "audit_entry_pkey",
      "audit_entry_staff_at_idx",
      "medical_alert_patient_idx",
      "medical_alert_pkey",
      "medical_alert_replaces_unique",
      "patient_archived_name_idx",
      "patient_birthday_idx",
      "patient_clinic_created_idx",
      "patient_clinic_last_visit_idx",
      "patient_clinic_name_idx",
      "patient_created_idx",
      "patient_email_clinic_idx",
      "patient_first_name_idx",
      "patient_guarantor_idx",
      "patient_last_visit_idx",
      "patient_merged_into_idx",
      "patient_name_idx",
      "patient_phone_digits_idx",
      "patient_pkey",
      "patient_recall_due_idx",
      "patient_search_trgm_idx",
      "patient_tally_pkey",
      "staff_member_email_unique",
      "staff_member_pkey",
      "staff_session_pkey",
      "staff_session_token_hash_unique",
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
