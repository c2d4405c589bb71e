import { Migration } from "@mikro-orm/migrations";

/** An email is unique per clinic, so that refusing one says nothing about another clinic's patients. */
export class Migration20261201230832_patient_email_per_clinic extends Migration {
  override name = "Migration20261201230832_patient_email_per_clinic";

  override up(): void | Promise<void> {
    this.addSql(`drop index "patient_email_unique";`);
    this.addSql(
      `create unique index "patient_email_clinic_unique" on "patient" (lower("email"), "clinic_id") where "email" is not null;`,
    );
  }

  override down(): void | Promise<void> {
    // Fails while two clinics' patients share an email, which this migration allows.
    this.addSql(`drop index "patient_email_clinic_unique";`);
    this.addSql(`create unique index "patient_email_unique" on "patient" (lower("email")) where "email" is not null;`);
  }
}
