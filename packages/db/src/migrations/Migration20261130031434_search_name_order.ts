import { Migration } from "@mikro-orm/migrations";

/** The list's name order becomes the normalised names in byte order, so that one index serves the order and a
 *  search's name-prefix range alike (see patients/list.ts). */
export class Migration20261130031434_search_name_order extends Migration {
  override name = "Migration20261130031434_search_name_order";

  override up(): void | Promise<void> {
    this.addSql(`drop index "patient_name_idx";`);
    this.addSql(`drop index "patient_clinic_name_idx";`);
    this.addSql(`drop index "patient_archived_name_idx";`);
    this.addSql(
      `alter table "patient" alter column "search_first_name" type text collate "C", alter column "search_last_name" type text collate "C";`,
    );
    this.addSql(`create index "patient_name_idx" on "patient" ("search_last_name", "search_first_name", "id");`);
    this.addSql(
      `create index "patient_clinic_name_idx" on "patient" ("clinic_id", "search_last_name", "search_first_name", "id");`,
    );
    this.addSql(
      `create index "patient_archived_name_idx" on "patient" ("search_last_name", "search_first_name", "id") where "archived_at" is not null;`,
    );
    this.addSql(`create index "patient_first_name_idx" on "patient" ("search_first_name");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "patient_first_name_idx";`);
    this.addSql(`drop index "patient_name_idx";`);
    this.addSql(`drop index "patient_clinic_name_idx";`);
    this.addSql(`drop index "patient_archived_name_idx";`);
    this.addSql(
      `alter table "patient" alter column "search_first_name" type text collate "default", alter column "search_last_name" type text collate "default";`,
    );
    this.addSql(`create index "patient_name_idx" on "patient" ("last_name", "first_name", "id");`);
    this.addSql(`create index "patient_clinic_name_idx" on "patient" ("clinic_id", "last_name", "first_name", "id");`);
    this.addSql(
      `create index "patient_archived_name_idx" on "patient" ("last_name", "first_name", "id") where "archived_at" is not null;`,
    );
  }
}
