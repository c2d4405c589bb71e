import { Migration } from "@mikro-orm/migrations";

/** The recall list and its CSV export are audited as actions of their own (see audit/actions.ts). */
export class Migration20261202080100_audit_recall extends Migration {
  override name = "Migration20261202080100_audit_recall";

  override up(): void | Promise<void> {
    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_action_check";`);
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in ('patient.list', 'patient.count', 'patient.view', 'patient.create', 'patient.update', 'patient.archive', 'patient.restore', 'appointment.list', 'appointment.create', 'appointment.status', 'appointment.reschedule', 'recall.list', 'recall.export', 'login.success', 'login.failure', 'logout'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_entry" drop constraint "audit_entry_action_check";`);
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_action_check" check ("action" in ('patient.list', 'patient.count', 'patient.view', 'patient.create', 'patient.update', 'patient.archive', 'patient.restore', 'appointment.list', 'appointment.create', 'appointment.status', 'appointment.reschedule', 'login.success', 'login.failure', 'logout'));`,
    );
  }
}
