import { Migration } from "@mikro-orm/migrations";

export class Migration20261125111003_staff_sessions extends Migration {
  override name = "Migration20261125111003_staff_sessions";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "staff_session" ("id" serial primary key, "token_hash" varchar(64) not null, "staff_id" int not null, "created_at" timestamptz(3) not null, "expires_at" timestamptz(3) not null, "revoked_at" timestamptz(3) null);`,
    );
    this.addSql(`alter table "staff_session" add constraint "staff_session_token_hash_unique" unique ("token_hash");`);

    this.addSql(
      `alter table "staff_session" add constraint "staff_session_staff_id_foreign" foreign key ("staff_id") references "staff_member" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "staff_session" cascade;`);
  }
}
