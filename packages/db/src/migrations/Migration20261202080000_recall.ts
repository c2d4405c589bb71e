import { Migration } from "@mikro-orm/migrations";

/**
 * Recall (clinic-rules.ts): each patient's interval (6 months unless set), the date their recall falls due, kept by
 * the database on every change of last visit, interval, clinic or the clinic's time zone, and the recall list's
 * index. Existing patients get the default interval and their due date.
 */
export class Migration20261202080000_recall extends Migration {
  override name = "Migration20261202080000_recall";

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "patient" add "recall_interval_months" int not null default 6, add "recall_due_on" date null;`,
    );
    // The rule, once: the last visit's date in the clinic's time zone (patient_visit_day, as the tallies count it)
    // plus the interval; a month too short for the day ends on its last day (date + interval does that).
    this.addSql(`create or replace function patient_recall_due_on(of_clinic integer, last_visit timestamptz, interval_months integer)
      returns date language sql stable as $$
        select case when last_visit is null then null
          else (patient_visit_day(of_clinic, last_visit) + make_interval(months => interval_months))::date end
      $$;`);
    this.addSql(`create or replace function "patient_recall_due_fn"() returns trigger as $$ begin if TG_OP = 'INSERT' or (NEW.clinic_id, NEW.last_visit_at, NEW.recall_interval_months, NEW.recall_due_on)
            is distinct from (OLD.clinic_id, OLD.last_visit_at, OLD.recall_interval_months, OLD.recall_due_on) then
          NEW.recall_due_on := patient_recall_due_on(NEW.clinic_id, NEW.last_visit_at, NEW.recall_interval_months);         end if;         return NEW; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "recall_due" BEFORE INSERT OR UPDATE on "patient" for each ROW execute function "patient_recall_due_fn"();`,
    );
    this.addSql(`create or replace function "clinic_recall_redate_fn"() returns trigger as $$ begin if NEW.time_zone is distinct from OLD.time_zone then
          update patient set recall_due_on = null where clinic_id = NEW.id and recall_due_on is not null;         end if;         return null; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "recall_redate" AFTER UPDATE on "clinic" for each ROW execute function "clinic_recall_redate_fn"();`,
    );
    // The patients already there: the trigger computes each one's date.
    this.addSql(
      `update "patient" set "recall_due_on" = patient_recall_due_on("clinic_id", "last_visit_at", "recall_interval_months") where "last_visit_at" is not null;`,
    );
    this.addSql(
      `create index "patient_recall_due_idx" on "patient" ("clinic_id", "recall_due_on", "id") where "archived_at" is null and "recall_due_on" is not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "recall_redate" on "clinic";`);
    this.addSql(`drop function if exists "clinic_recall_redate_fn"();`);
    this.addSql(`drop index "patient_recall_due_idx";`);
    this.addSql(`drop trigger if exists "recall_due" on "patient";`);
    this.addSql(`drop function if exists "patient_recall_due_fn"();`);
    this.addSql("drop function if exists patient_recall_due_on(integer, timestamptz, integer);");
    this.addSql(`alter table "patient" drop column "recall_interval_months", drop column "recall_due_on";`);
  }
}
