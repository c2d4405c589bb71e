import { Migration } from "@mikro-orm/migrations";

/**
 * The tab counts' tallies (see PatientTally): the table, the functions that keep it, the trigger that calls them
 * on every change of a patient, and the tallies of the patients already there.
 */
export class Migration20261202010119_patient_tally extends Migration {
  override name = "Migration20261202010119_patient_tally";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "patient_tally" ("clinic_id" int not null, "archived" boolean not null, "visit_day" date not null, "patients" int not null, primary key ("clinic_id", "archived", "visit_day"));`,
    );
    this.addSql(
      `alter table "patient_tally" add constraint "patient_tally_clinic_id_foreign" foreign key ("clinic_id") references "clinic" ("id") on delete cascade;`,
    );

    // The day a last visit counts on: its date in the clinic's time zone, which is what the status tabs' cut-off
    // is ("active" from the start of the local day 730 days ago); -infinity for never.
    this.addSql(`create or replace function patient_visit_day(of_clinic integer, last_visit timestamptz) returns date
      language sql stable as $$
        select case when last_visit is null then '-infinity'::date
          else (last_visit at time zone (select c.time_zone from clinic c where c.id = of_clinic))::date end
      $$;`);
    // One patient more (or fewer) in a tally; nothing for the side of an insert or a delete that has no row.
    this.addSql(`create or replace function count_in_tally(at_clinic integer, is_archived boolean, on_day date, delta integer)
      returns void language sql as $$
        insert into patient_tally as t (clinic_id, archived, visit_day, patients)
        select at_clinic, is_archived, on_day, delta where at_clinic is not null
        on conflict (clinic_id, archived, visit_day) do update set patients = t.patients + excluded.patients
      $$;`);
    // A patient moving between tallies: the two rows in key order, so that two moves the other way round wait
    // for each other instead of deadlocking.
    this.addSql(`create or replace function move_patient_in_tally(
        gone_clinic integer, gone_archived boolean, gone_day date,
        came_clinic integer, came_archived boolean, came_day date) returns void
      language plpgsql as $$
      begin
        if (gone_clinic, gone_archived, gone_day) is not distinct from (came_clinic, came_archived, came_day) then
          return;
        end if;
        if came_clinic is null
           or (gone_clinic is not null and (gone_clinic, gone_archived, gone_day) < (came_clinic, came_archived, came_day)) then
          perform count_in_tally(gone_clinic, gone_archived, gone_day, -1);
          perform count_in_tally(came_clinic, came_archived, came_day, 1);
        else
          perform count_in_tally(came_clinic, came_archived, came_day, 1);
          perform count_in_tally(gone_clinic, gone_archived, gone_day, -1);
        end if;
      end $$;`);
    // Every tally from the patients themselves: after a bulk load (db:seed), or a clinic's time zone change.
    this.addSql(`create or replace function rebuild_patient_tally() returns void language sql as $$
        delete from patient_tally;
        insert into patient_tally (clinic_id, archived, visit_day, patients)
        select p.clinic_id, p.archived_at is not null, patient_visit_day(p.clinic_id, p.last_visit_at), count(*)
          from patient p group by 1, 2, 3;
      $$;`);

    this.addSql(`create or replace function "patient_tally_fn"() returns trigger as $$ begin perform move_patient_in_tally(
          OLD.clinic_id, OLD.archived_at is not null, patient_visit_day(OLD.clinic_id, OLD.last_visit_at),
          NEW.clinic_id, NEW.archived_at is not null, patient_visit_day(NEW.clinic_id, NEW.last_visit_at));         return null; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "tally" AFTER INSERT OR UPDATE OR DELETE on "patient" for each ROW execute function "patient_tally_fn"();`,
    );
    this.addSql(`create or replace function "clinic_retally_fn"() returns trigger as $$ begin if NEW.time_zone is distinct from OLD.time_zone then
          perform rebuild_patient_tally();         end if;         return null; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "retally" AFTER UPDATE on "clinic" for each ROW execute function "clinic_retally_fn"();`,
    );
    this.addSql("select rebuild_patient_tally();");
    // The index the counts read before the tallies: nothing else reads it.
    this.addSql(`drop index "patient_tab_counts_idx";`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create index "patient_tab_counts_idx" on "patient" ("clinic_id", "last_visit_at") where "archived_at" is null;`,
    );
    this.addSql(`drop trigger if exists "retally" on "clinic";`);
    this.addSql(`drop function if exists "clinic_retally_fn"();`);
    this.addSql(`drop trigger if exists "tally" on "patient";`);
    this.addSql(`drop function if exists "patient_tally_fn"();`);
    this.addSql(`drop table if exists "patient_tally" cascade;`);
    this.addSql("drop function if exists rebuild_patient_tally();");
    this.addSql("drop function if exists move_patient_in_tally(integer, boolean, date, integer, boolean, date);");
    this.addSql("drop function if exists count_in_tally(integer, boolean, date, integer);");
    this.addSql("drop function if exists patient_visit_day(integer, timestamptz);");
  }
}
