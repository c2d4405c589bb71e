import { Migration } from "@mikro-orm/migrations";

/**
 * Families (a guarantor, and the patients naming them) may share an email, so the email is no longer unique per
 * clinic in the index: patients/record-duplicates.ts keeps the rule (unrelated patients of a clinic never share
 * one). A merged record points at the record it was merged into. Linking family members and merging are audited.
 */
export class Migration20261202100000_families_and_merges extends Migration {
  override name = "Migration20261202100000_families_and_merges";

  override up(): void | Promise<void> {
    this.addSql(`drop index "patient_email_clinic_unique";`);
    this.addSql(`alter table "patient" add "guarantor_id" int null, add "merged_into_id" int null;`);
    this.addSql(
      `alter table "patient" add constraint "patient_guarantor_id_foreign" foreign key ("guarantor_id") references "patient" ("id") on delete no action;`,
    );
    this.addSql(
      `alter table "patient" add constraint "patient_merged_into_id_foreign" foreign key ("merged_into_id") references "patient" ("id") on delete no action;`,
    );
    this.addSql(
      `create index "patient_email_clinic_idx" on "patient" (lower("email"), "clinic_id") where "email" is not null;`,
    );
    this.addSql(`create index "patient_guarantor_idx" on "patient" ("guarantor_id") where "guarantor_id" is not null;`);
    this.addSql(
      `create index "patient_merged_into_idx" on "patient" ("merged_into_id") where "merged_into_id" is not null;`,
    );
    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_action_check";`);
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in ('patient.list', 'patient.count', 'patient.view', 'patient.create', 'patient.update', 'patient.archive', 'patient.restore', 'patient.family', 'patient.merge', 'appointment.list', 'appointment.create', 'appointment.status', 'appointment.reschedule', 'recall.list', 'recall.export', 'login.success', 'login.failure', 'logout', 'alert.add', 'alert.update', 'alert.remove'));`,
    );
  }

  override down(): void | Promise<void> {
    // Fails while the trail holds family or merge entries, or two patients of a clinic share an email.
    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_action_check";`);
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in ('patient.list', 'patient.count', 'patient.view', 'patient.create', 'patient.update', 'patient.archive', 'patient.restore', 'appointment.list', 'appointment.create', 'appointment.status', 'appointment.reschedule', 'recall.list', 'recall.export', 'login.success', 'login.failure', 'logout', 'alert.add', 'alert.update', 'alert.remove'));`,
    );
    this.addSql(`drop index "patient_email_clinic_idx";`);
    this.addSql(`drop index "patient_guarantor_idx";`);
    this.addSql(`drop index "patient_merged_into_idx";`);
    this.addSql(`alter table "patient" drop column "guarantor_id", drop column "merged_into_id";`);
    this.addSql(
      `create unique index "patient_email_clinic_unique" on "patient" (lower("email"), "clinic_id") where "email" is not null;`,
    );
  }
}
