import { Migration } from "@mikro-orm/migrations";

/** NOTIFY patient_changed at commit for every new or changed medical alert (see MedicalAlert's "changed" trigger). */
export class Migration20261202120000_medical_alert_changed extends Migration {
  override name = "Migration20261202120000_medical_alert_changed";

  override up(): void | Promise<void> {
    this.addSql(`create or replace function "medical_alert_changed_fn"() returns trigger as $$ begin
        perform pg_notify('patient_changed', json_build_object('patientId', p.id, 'clinicId', p.clinic_id)::text)
          from patient p where p.id = NEW.patient_id;
        return null; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "changed" AFTER INSERT OR UPDATE on "medical_alert" for each ROW execute function "medical_alert_changed_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "changed" on "medical_alert";`);
    this.addSql(`drop function if exists "medical_alert_changed_fn"();`);
  }
}
