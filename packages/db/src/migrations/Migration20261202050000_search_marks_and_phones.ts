import { Migration } from "@mikro-orm/migrations";

/**
 * Search compares names without the marks people may or may not type, and phones on their national digits:
 * the two SQL functions that say so, the stored forms made with them, and the index of the phones' digits.
 * Setting the generation expressions rewrites the table, so the stored forms of the rows already there are
 * made anew by the same functions.
 */
export class Migration20261202050000_search_marks_and_phones extends Migration {
  override name = "Migration20261202050000_search_marks_and_phones";

  override up(): void | Promise<void> {
    // Text as search compares it: search_normalize's lower case without accents, then without apostrophes,
    // hyphens, dots and spaces ("O'Brien", "O’Brien" and "obrien" alike; "Smith-Jones" as "smith jones").
    // The one definition, for stored forms and typed terms alike.
    this.addSql(`create or replace function search_key(value text) returns text
      language sql immutable parallel safe strict
      return regexp_replace(search_normalize(value), '[[:space:]\u00a0''\u2018\u2019\u02bc\`\u00b4.\u2010\u2011\u2012\u2013\u2014\u2015-]', '', 'g');`);
    // A phone's national digits for the practice's country (the US, +1): its digits without the country code,
    // typed as "+1..." or as an eleventh leading 1. The one rule for stored phones and typed ones alike.
    this.addSql(`create or replace function phone_national_digits(phone text) returns text
      language sql immutable parallel safe strict
      return case
        when regexp_replace(phone, '\\D', '', 'g') ~ '^1[0-9]{10}$'
          or (phone ~ '^[[:space:]]*[+][[:space:]]*1' and regexp_replace(phone, '\\D', '', 'g') ~ '^1[0-9]')
          then substr(regexp_replace(phone, '\\D', '', 'g'), 2)
        else regexp_replace(phone, '\\D', '', 'g') end;`);
    // What a search term is looked for in: names, email and the phone's national digits.
    this.addSql(`create or replace function patient_search_text(first_name text, last_name text, email text, phone text)
      returns text language sql immutable parallel safe
      return search_key(first_name) || ' ' || search_key(last_name) || ' ' || coalesce(search_key(email), '')
        || ' ' || coalesce(phone_national_digits(phone), '');`);
    this.addSql(`alter table "patient"
      alter column "search_first_name" set expression as (search_key(first_name)),
      alter column "search_last_name" set expression as (search_key(last_name)),
      alter column "search_text" set expression as (patient_search_text(first_name, last_name, email, phone)),
      add column "phone_digits" text collate "C" generated always as (nullif(phone_national_digits(phone), '')) stored null;`);
    this.addSql(`create index "patient_phone_digits_idx" on "patient" ("phone_digits");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "patient_phone_digits_idx";`);
    this.addSql(`create or replace function patient_search_text(first_name text, last_name text, email text, phone text)
      returns text language sql immutable parallel safe
      return search_normalize(first_name || ' ' || last_name || ' ' || coalesce(email, ''))
        || ' ' || regexp_replace(coalesce(phone, ''), '\\D', '', 'g');`);
    this.addSql(`alter table "patient"
      drop column "phone_digits",
      alter column "search_first_name" set expression as (search_normalize(first_name)),
      alter column "search_last_name" set expression as (search_normalize(last_name)),
      alter column "search_text" set expression as (patient_search_text(first_name, last_name, email, phone));`);
    this.addSql(`drop function if exists phone_national_digits(text);`);
    this.addSql(`drop function if exists search_key(text);`);
  }
}
