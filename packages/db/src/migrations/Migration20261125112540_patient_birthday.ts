import { Migration } from "@mikro-orm/migrations";

export class Migration20261125112540_patient_birthday extends Migration {
  override name = "Migration20261125112540_patient_birthday";

  override up(): void | Promise<void> {
    this.addSql(`create index "patient_birthday_idx" on "patient" ("birthday");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "patient_birthday_idx";`);
  }
}
