import { Migration } from "@mikro-orm/migrations";

export class Migration20261125112652_appointment_dentist extends Migration {
  override name = "Migration20261125112652_appointment_dentist";

  override up(): void | Promise<void> {
    this.addSql(`create index "appointment_dentist_starts_idx" on "appointment" ("dentist_id", "starts_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "appointment_dentist_starts_idx";`);
  }
}
