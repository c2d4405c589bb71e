import { Migration } from "@mikro-orm/migrations";

/** NOTIFY patient_changed at commit for every new or changed patient (see Patient's "changed" trigger). */
export class Migration20261202060100_patient_changed extends Migration {
  override name = "Migration20261202060100_patient_changed";

  override up(): void | Promise<void> {
    this.addSql(`create or replace function "patient_changed_fn"() returns trigger as $$ begin
        perform pg_notify('patient_changed', json_build_object('patientId', NEW.id, 'clinicId', NEW.clinic_id)::text);
        if TG_OP = 'UPDATE' and OLD.clinic_id <> NEW.clinic_id then
          perform pg_notify('patient_changed', json_build_object('patientId', OLD.id, 'clinicId', OLD.clinic_id)::text);
        end if;
        return null; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "changed" AFTER INSERT OR UPDATE on "patient" for each ROW execute function "patient_changed_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "changed" on "patient";`);
    this.addSql(`drop function if exists "patient_changed_fn"();`);
  }
}
