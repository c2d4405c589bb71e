import { Migration } from "@mikro-orm/migrations";

const ACTIONS_BEFORE = `'patient.list', 'patient.count', 'patient.view', 'patient.create', 'patient.update', 'patient.archive', 'patient.restore', 'appointment.list', 'appointment.create', 'appointment.status', 'appointment.reschedule', 'recall.list', 'recall.export', 'login.success', 'login.failure', 'logout'`;
const ALERT_ACTIONS = `'alert.add', 'alert.update', 'alert.remove'`;

/** Medical alerts (see MedicalAlert), and their changes as actions of the audit trail. */
export class Migration20261202090000_medical_alerts extends Migration {
  override name = "Migration20261202090000_medical_alerts";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "medical_alert" ("id" serial primary key, "patient_id" int not null, "kind" text not null, "text" varchar(200) not null, "noted_at" timestamptz(3) not null, "noted_by_id" int not null, "replaces_id" int null, "removed_at" timestamptz(3) null, "removed_by_id" int null);`,
    );
    this.addSql(`alter table "medical_alert" add constraint "medical_alert_replaces_unique" unique ("replaces_id");`);
    this.addSql(
      `create index "medical_alert_patient_idx" on "medical_alert" ("patient_id", "kind") where "removed_at" is null;`,
    );
    this.addSql(
      `alter table "medical_alert" add constraint "medical_alert_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`,
    );
    this.addSql(
      `alter table "medical_alert" add constraint "medical_alert_noted_by_id_foreign" foreign key ("noted_by_id") references "staff_member" ("id");`,
    );
    this.addSql(
      `alter table "medical_alert" add constraint "medical_alert_replaces_id_foreign" foreign key ("replaces_id") references "medical_alert" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "medical_alert" add constraint "medical_alert_removed_by_id_foreign" foreign key ("removed_by_id") references "staff_member" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "medical_alert" add constraint "medical_alert_kind_check" check ("kind" in ('allergy', 'premedication', 'condition'));`,
    );

    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_action_check";`);
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in (${ACTIONS_BEFORE}, ${ALERT_ACTIONS}));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_action_check";`);
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in (${ACTIONS_BEFORE}));`,
    );
    this.addSql(`drop table if exists "medical_alert" cascade;`);
  }
}
