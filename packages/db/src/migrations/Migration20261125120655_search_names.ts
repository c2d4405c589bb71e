import { Migration } from "@mikro-orm/migrations";

export class Migration20261125120655_search_names extends Migration {
  override name = "Migration20261125120655_search_names";

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "patient" add "search_first_name" text generated always as (search_normalize(first_name)) stored null, add "search_last_name" text generated always as (search_normalize(last_name)) stored null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "patient" drop column "search_first_name", drop column "search_last_name";`);
  }
}
