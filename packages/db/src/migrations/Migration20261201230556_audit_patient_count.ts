import { Migration } from "@mikro-orm/migrations";

/** patients.counts is audited as an action of its own (see audit/actions.ts). */
export class Migration20261201230556_audit_patient_count extends Migration {
  override name = "Migration20261201230556_audit_patient_count";

  override up(): void | Promise<void> {
    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_action_check";`);
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in ('patient.list', 'patient.count', 'patient.view', 'patient.create', 'patient.update', 'patient.archive', 'patient.restore', 'appointment.list', 'appointment.create', 'appointment.status', 'appointment.reschedule', 'login.success', 'login.failure', 'logout'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_action_check";`);
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in ('patient.list', 'patient.view', 'patient.create', 'patient.update', 'patient.archive', 'patient.restore', 'appointment.list', 'appointment.create', 'appointment.status', 'appointment.reschedule', 'login.success', 'login.failure', 'logout'));`,
    );
  }
}
