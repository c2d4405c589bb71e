import { Migration } from "@mikro-orm/migrations";

export class Migration20261125104654_initial extends Migration {
  override name = "Migration20261125104654_initial";

  override up(): void | Promise<void> {
    // Extensions and functions that the tables below use; MikroORM manages neither.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create extension if not exists unaccent;`);
    // How search text and search terms are normalised: lower case, accents removed. Immutable so that a
    // generated column and an index may use it (unaccent() itself is only stable: its dictionary could change).
    this.addSql(`create or replace function search_normalize(value text) returns text
      language sql immutable parallel safe strict
      return lower(public.unaccent('public.unaccent'::regdictionary, value));`);
    // What patient search matches: names, email, and the phone's digits (so "555 01" finds "+1 (555) 0123").
    this.addSql(`create or replace function patient_search_text(first_name text, last_name text, email text, phone text)
      returns text language sql immutable parallel safe
      return search_normalize(first_name || ' ' || last_name || ' ' || coalesce(email, ''))
        || ' ' || regexp_replace(coalesce(phone, ''), '\\D', '', 'g');`);
    // The last-visit rule (see clinic-rules.ts): a patient's latest completed appointment by when it took place.
    // The patients are locked first, in a statement of their own, so that the recomputation takes a fresh
    // snapshot that sees every completion committed by a concurrent transaction before the lock was granted.
    this.addSql(`create or replace function refresh_last_visit(patient_ids int[]) returns void
      language plpgsql as $$
      begin
        perform 1 from patient where id = any(patient_ids) order by id for update;
        update patient p
           set last_visit_id = latest.id, last_visit_at = latest.starts_at
          from unnest(patient_ids) as target(patient_id)
          left join lateral (
            select a.id, a.starts_at from appointment a
             where a.patient_id = target.patient_id and a.status = 'completed'
             order by a.starts_at desc, a.id desc
             limit 1
          ) latest on true
         where p.id = target.patient_id
           and (p.last_visit_id is distinct from latest.id or p.last_visit_at is distinct from latest.starts_at);
      end $$;`);

    this.addSql(
      `create table "clinic" ("id" serial primary key, "name" varchar(200) not null, "address" text not null, "phone" varchar(40) not null, "time_zone" varchar(64) not null);`,
    );

    this.addSql(
      `create table "service" ("id" serial primary key, "name" varchar(200) not null, "category" varchar(100) not null, "duration_minutes" int not null);`,
    );

    this.addSql(
      `create table "staff_member" ("id" serial primary key, "name" varchar(200) not null, "email" varchar(320) not null, "password_hash" varchar(200) not null, "role" text not null, "archived" boolean not null default false, "created_at" timestamptz(3) not null);`,
    );
    this.addSql(`create unique index "staff_member_email_unique" on "staff_member" (lower("email"));`);
    this.addSql(
      `alter table "staff_member" add constraint "staff_member_role_check" check ("role" in ('owner', 'receptionist', 'dentist'));`,
    );

    this.addSql(
      `create table "staff_member_clinics" ("staff_member_id" int not null, "clinic_id" int not null, primary key ("staff_member_id", "clinic_id"));`,
    );

    this.addSql(
      `create table "patient" ("id" serial primary key, "first_name" varchar(100) not null, "last_name" varchar(100) not null, "email" varchar(320) null, "phone" varchar(40) null, "birthday" date null, "gender" text not null default 'unspecified', "address" text null, "clinic_id" int not null, "notes" text not null default '', "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "version" int not null default 1, "archived_at" timestamptz(3) null, "last_visit_id" int null, "last_visit_at" timestamptz(3) null, "search_text" text generated always as (patient_search_text(first_name, last_name, email, phone)) stored);`,
    );
    this.addSql(`create index "patient_name_idx" on "patient" ("last_name", "first_name", "id");`);
    this.addSql(`create index "patient_clinic_name_idx" on "patient" ("clinic_id", "last_name", "first_name", "id");`);
    this.addSql(
      `create index "patient_last_visit_idx" on "patient" (coalesce("last_visit_at", '-infinity'::timestamptz), "id");`,
    );
    this.addSql(
      `create index "patient_clinic_last_visit_idx" on "patient" ("clinic_id", coalesce("last_visit_at", '-infinity'::timestamptz), "id");`,
    );
    this.addSql(`create index "patient_created_idx" on "patient" ("created_at", "id");`);
    this.addSql(`create index "patient_clinic_created_idx" on "patient" ("clinic_id", "created_at", "id");`);
    this.addSql(
      `create index "patient_archived_name_idx" on "patient" ("last_name", "first_name", "id") where "archived_at" is not null;`,
    );
    this.addSql(`create index "patient_search_trgm_idx" on "patient" using gin ("search_text" gin_trgm_ops);`);
    this.addSql(`create unique index "patient_email_unique" on "patient" (lower("email")) where "email" is not null;`);
    this.addSql(
      `alter table "patient" add constraint "patient_gender_check" check ("gender" in ('female', 'male', 'other', 'unspecified'));`,
    );

    this.addSql(
      `create table "appointment" ("id" serial primary key, "patient_id" int not null, "dentist_id" int not null, "service_id" int not null, "clinic_id" int not null, "starts_at" timestamptz(3) not null, "status" text not null default 'pending', "completed_at" timestamptz(3) null, "notes" text not null default '', "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null);`,
    );
    this.addSql(`create index "appointment_patient_starts_idx" on "appointment" ("patient_id", "starts_at", "id");`);
    this.addSql(
      `alter table "appointment" add constraint "appointment_status_check" check ("status" in ('pending', 'confirmed', 'waiting', 'cancelled', 'completed', 'missed', 'reschedule_requested', 'cancel_requested'));`,
    );
    this.addSql(`create or replace function "appointment_last_visit_fn"() returns trigger as $$ begin if OLD.status = 'completed' and (NEW is null or NEW.status <> 'completed'
            or NEW.patient_id <> OLD.patient_id or NEW.starts_at <> OLD.starts_at) then
          perform refresh_last_visit(array[OLD.patient_id]);         end if;         if NEW.status = 'completed' and (OLD is null or OLD.status <> 'completed'
            or OLD.patient_id <> NEW.patient_id or OLD.starts_at <> NEW.starts_at) then
          perform refresh_last_visit(array[NEW.patient_id]);         end if;         return null; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "last_visit" AFTER INSERT OR UPDATE OR DELETE on "appointment" for each ROW execute function "appointment_last_visit_fn"();`,
    );

    this.addSql(
      `alter table "staff_member_clinics" add constraint "staff_member_clinics_staff_member_id_foreign" foreign key ("staff_member_id") references "staff_member" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "staff_member_clinics" add constraint "staff_member_clinics_clinic_id_foreign" foreign key ("clinic_id") references "clinic" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "patient" add constraint "patient_clinic_id_foreign" foreign key ("clinic_id") references "clinic" ("id");`,
    );
    this.addSql(
      `alter table "patient" add constraint "patient_last_visit_id_foreign" foreign key ("last_visit_id") references "appointment" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "appointment" add constraint "appointment_patient_id_foreign" foreign key ("patient_id") references "patient" ("id");`,
    );
    this.addSql(
      `alter table "appointment" add constraint "appointment_dentist_id_foreign" foreign key ("dentist_id") references "staff_member" ("id");`,
    );
    this.addSql(
      `alter table "appointment" add constraint "appointment_service_id_foreign" foreign key ("service_id") references "service" ("id");`,
    );
    this.addSql(
      `alter table "appointment" add constraint "appointment_clinic_id_foreign" foreign key ("clinic_id") references "clinic" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `drop table if exists "appointment", "patient", "staff_member_clinics", "staff_member", "service", "clinic" cascade;`,
    );
    this.addSql(`drop function if exists appointment_last_visit_fn();`);
    this.addSql(`drop function if exists refresh_last_visit(int[]);`);
    this.addSql(`drop function if exists patient_search_text(text, text, text, text);`);
    this.addSql(`drop function if exists search_normalize(text);`);
  }
}
