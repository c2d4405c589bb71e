import { Migration } from "@mikro-orm/migrations";

/** The tab counts without a search read indexes alone rather than every patient row (see patients/counts.ts). */
export class Migration20261130060000_tab_counts_index extends Migration {
  override name = "Migration20261130060000_tab_counts_index";

  override up(): void | Promise<void> {
    this.addSql(
      `create index "patient_tab_counts_idx" on "patient" ("clinic_id", "last_visit_at") where "archived_at" is null;`,
    );
    this.addSql(`drop index "patient_archived_name_idx";`);
    this.addSql(
      `create index "patient_archived_name_idx" on "patient" ("search_last_name", "search_first_name", "id") include ("clinic_id") where "archived_at" is not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "patient_tab_counts_idx";`);
    this.addSql(`drop index "patient_archived_name_idx";`);
    this.addSql(
      `create index "patient_archived_name_idx" on "patient" ("search_last_name", "search_first_name", "id") where "archived_at" is not null;`,
    );
  }
}
