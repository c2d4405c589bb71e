import { Migration } from "@mikro-orm/migrations";

/**
 * Several server instances share what decides security: staff and session changes are announced to every
 * instance's session cache (NOTIFY staff_changed), and failed sign-ins are counted in one table for all of them.
 */
export class Migration20261201233649_staff_changes_and_sign_in_failures extends Migration {
  override name = "Migration20261201233649_staff_changes_and_sign_in_failures";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "sign_in_failure_count" ("key" varchar(64) not null, "failures" int not null, "since" timestamptz(3) not null, primary key ("key"));`,
    );
    // One sign-in attempt, counted atomically for every instance: the three counters are created if missing and
    // locked (in key order) in statements of their own, so that the reads after them take fresh snapshots that see
    // every attempt committed before the locks were granted; concurrent guesses therefore queue and none slips past
    // a limit. Returns the seconds to wait when refused (nothing is counted then), 0 when the attempt now counts.
    this.addSql(`create or replace function sign_in_attempt(address_key text, account_from_address_key text,
        account_key text, at timestamptz, window_ms int, per_address int, per_account_from_address int,
        per_account int) returns int
      language plpgsql as $$
      declare
        window_length interval := window_ms * interval '1 millisecond';
        keys text[] := array[address_key, account_from_address_key, account_key];
        from_address sign_in_failure_count;
        on_account_from_address sign_in_failure_count;
        on_account sign_in_failure_count;
        refused_until timestamptz;
      begin
        insert into sign_in_failure_count (key, failures, since)
          select key, 0, at from unnest(keys) as key order by key
          on conflict (key) do nothing;
        perform 1 from sign_in_failure_count where key = any(keys) order by key for update;
        -- A counter counts while its window lasts; a missing or lapsed one reads as null.
        select * into from_address from sign_in_failure_count
         where key = address_key and failures > 0 and since + window_length > at;
        select * into on_account_from_address from sign_in_failure_count
         where key = account_from_address_key and failures > 0 and since + window_length > at;
        select * into on_account from sign_in_failure_count
         where key = account_key and failures > 0 and since + window_length > at;
        -- An account under attack is refused to the addresses that took part, not to a clean one.
        refused_until := greatest(
          case when from_address.failures >= per_address then from_address.since + window_length end,
          case when on_account_from_address.failures >= per_account_from_address
            then on_account_from_address.since + window_length end,
          case when on_account_from_address.failures > 0 and on_account.failures >= per_account
            then least(on_account.since, on_account_from_address.since) + window_length end);
        if refused_until is not null then
          return ceil(extract(epoch from refused_until - at))::int;
        end if;
        update sign_in_failure_count
           set failures = case when failures > 0 and since + window_length > at then failures + 1 else 1 end,
               since = case when failures > 0 and since + window_length > at then since else at end
         where key = any(keys);
        return 0;
      end $$;`);

    this.addSql(
      `create or replace function "staff_member_staff_changed_fn"() returns trigger as $$ begin perform pg_notify('staff_changed', OLD.id::text);         return null; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "staff_changed" AFTER UPDATE OR DELETE on "staff_member" for each ROW execute function "staff_member_staff_changed_fn"();`,
    );

    this.addSql(`create or replace function "staff_member_clinics_staff_changed_fn"() returns trigger as $$ begin perform pg_notify('staff_changed', coalesce(NEW.staff_member_id, OLD.staff_member_id)::text);         if OLD.staff_member_id <> NEW.staff_member_id then
          perform pg_notify('staff_changed', OLD.staff_member_id::text);         end if;         return null; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "staff_changed" AFTER INSERT OR UPDATE OR DELETE on "staff_member_clinics" for each ROW execute function "staff_member_clinics_staff_changed_fn"();`,
    );

    this.addSql(
      `create or replace function "staff_session_session_changed_fn"() returns trigger as $$ begin perform pg_notify('staff_changed', OLD.staff_id::text);         return null; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "session_changed" AFTER UPDATE OR DELETE on "staff_session" for each ROW execute function "staff_session_session_changed_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop function if exists sign_in_attempt(text, text, text, timestamptz, int, int, int, int);`);
    this.addSql(`drop table if exists "sign_in_failure_count" cascade;`);

    this.addSql(`drop trigger if exists "staff_changed" on "staff_member";`);
    this.addSql(`drop function if exists "staff_member_staff_changed_fn"();`);

    this.addSql(`drop trigger if exists "staff_changed" on "staff_member_clinics";`);
    this.addSql(`drop function if exists "staff_member_clinics_staff_changed_fn"();`);

    this.addSql(`drop trigger if exists "session_changed" on "staff_session";`);
    this.addSql(`drop function if exists "staff_session_session_changed_fn"();`);
  }
}
