import { Migration } from "@mikro-orm/migrations";

export class Migration20261125114933_audit_trail extends Migration {
  override name = "Migration20261125114933_audit_trail";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_entry" ("id" bigserial primary key, "at" timestamptz(3) not null, "staff_id" int null, "email" varchar(320) null, "clinic_id" int null, "patient_id" int null, "action" text not null, "details" jsonb not null default '{}', "client_address" varchar(64) not null);`,
    );
    this.addSql(`create index "audit_entry_patient_at_idx" on "audit_entry" ("patient_id", "at", "id");`);
    this.addSql(`create index "audit_entry_staff_at_idx" on "audit_entry" ("staff_id", "at", "id");`);
    this.addSql(`create index "audit_entry_at_idx" on "audit_entry" ("at", "id");`);

    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_staff_id_foreign" foreign key ("staff_id") references "staff_member" ("id") on delete no action;`,
    );
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on delete no action;`,
    );
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in ('patient.list', 'patient.view', 'patient.create', 'patient.update', 'patient.archive', 'patient.restore', 'appointment.list', 'appointment.create', 'appointment.status', 'appointment.reschedule', 'login.success', 'login.failure', 'logout'));`,
    );
    this.addSql(`create or replace function "audit_entry_append_only_fn"() returns trigger as $$ begin raise exception 'the audit trail is append-only: % of an entry is not allowed', TG_OP
        using errcode = 'insufficient_privilege'; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "append_only" BEFORE UPDATE OR DELETE on "audit_entry" for each ROW execute function "audit_entry_append_only_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "append_only" on "audit_entry";`);
    this.addSql(`drop function if exists "audit_entry_append_only_fn"();`);
    this.addSql(`drop table if exists "audit_entry" cascade;`);
  }
}
