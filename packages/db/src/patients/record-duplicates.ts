// Whether a patient being registered (or re-emailed) already has a record: the same email in any casing at the
// same clinic, which the database forbids outright, or at another clinic, or the same names (accents and case
// ignored) and birthday, which only warn. Only records the caller may see are looked at: another clinic's
// patients are nobody else's business, so an email is unique per clinic (patient_email_clinic_unique).
import type { EntityManager } from "@mikro-orm/postgresql";
import { type SqlBool, sql } from "kysely";
import type { CalendarDate } from "../clinic-rules.ts";
import { ChairsideError } from "../errors.ts";
import { rowsOf, run, sqlFor } from "../postgres/sql.ts";
import type { ClinicScope } from "../scope.ts";
import { type Condition, clinicCondition, p, searchNormalized } from "./filters.ts";
import type { NamedRef } from "./record.ts";

/** An existing record that looks like the patient being saved. */
export interface PatientMatch {
  id: number;
  firstName: string;
  lastName: string;
  birthday: CalendarDate | null;
  email: string | null;
  clinic: NamedRef;
  archived: boolean;
  sameEmail: boolean;
  sameNameAndBirthday: boolean;
}

/** The `details` of a CONFLICT about a patient who seems to exist already. */
export interface DuplicatePatientConflict {
  reason: "emailTaken" | "likelyDuplicate";
  /** Whether sending `confirmDuplicate: true` would create the record anyway (never when the email is taken). */
  canConfirm: boolean;
  /** The matching records, all of them at clinics the caller may see. */
  matches: PatientMatch[];
}

/** Who is being saved, as far as duplicates go (an edit may carry only some of it). */
export interface PersonKey {
  /** The clinic the record is saved at: the same email there is taken, elsewhere a likely duplicate. */
  clinicId?: number | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | null | undefined;
  birthday?: CalendarDate | null | undefined;
}

const MAX_MATCHES = 20;

/**
 * Serialises registrations of the same person (names and birthday) until the transaction ends, so that two
 * receptionists saving the same walk-in at once get the duplicate warning rather than two records.
 * The email needs no lock: its unique index settles that race within a clinic.
 */
export async function lockPersonKey(tx: EntityManager, person: PersonKey): Promise<void> {
  if (!person.birthday || person.firstName === undefined || person.lastName === undefined) return;
  const key = [
    sql.lit("patient:"),
    searchNormalized(person.firstName),
    sql.lit("|"),
    searchNormalized(person.lastName),
    sql.lit("|"),
    p.cast(p.val(person.birthday), "text"),
  ].reduce((text, part) => p(text, "||", part));
  await run(
    tx,
    sqlFor(tx).selectNoFrom(p.fn("pg_advisory_xact_lock", [p.fn("hashtextextended", [key, sql.lit(0)])]).as("locked")),
  );
}

/** The conflict a save of `person` runs into, or null. `exceptId` leaves out the record being edited. */
export async function findDuplicateConflict(
  em: EntityManager,
  person: PersonKey,
  scope: ClinicScope,
  options: { checkNames: boolean; exceptId?: number },
): Promise<DuplicatePatientConflict | null> {
  const email = person.email ?? null;
  // Names are compared only with a birthday to match.
  const birthday = options.checkNames ? (person.birthday ?? null) : null;
  if (email === null && birthday === null) return null;

  const visible = clinicCondition(scope.clinicIds);
  const sameEmail =
    email === null
      ? p.lit(false)
      : p.and([
          p("p.email", "is not", null),
          p(p.fn("lower", ["p.email"]), "=", p.fn("lower", [p.cast(p.val(email), "text")])),
        ]);
  const sameNameAndBirthday =
    birthday === null
      ? p.lit(false)
      : p.and([
          p("p.birthday", "=", p.cast<string>(p.val(birthday), "date")),
          p(p.fn("search_normalize", ["p.first_name"]), "=", searchNormalized(person.firstName ?? null)),
          p(p.fn("search_normalize", ["p.last_name"]), "=", searchNormalized(person.lastName ?? null)),
        ]);
  const query = sqlFor(em)
    .selectFrom("patient as p")
    .innerJoin("clinic as c", "c.id", "p.clinic_id")
    .select([
      "p.id",
      "p.first_name",
      "p.last_name",
      p.fn<string | null>("to_char", ["p.birthday", sql.lit("YYYY-MM-DD")]).as("birthday"),
      "p.email",
      "p.archived_at",
      "c.id as clinic_id",
      "c.name as clinic_name",
      p.fn.coalesce(sameEmail, sql.lit(false)).as("same_email"),
      p.fn.coalesce(sameNameAndBirthday, sql.lit(false)).as("same_name_and_birthday"),
    ])
    .where(p.or([sameEmail, sameNameAndBirthday]))
    .$if(visible !== null, (query) => query.where(visible as Condition))
    .where("p.id", "<>", options.exceptId ?? 0)
    .orderBy("same_email", "desc")
    .orderBy("p.id")
    .limit(MAX_MATCHES);
  const rows = await rowsOf(em, query);
  if (rows.length === 0) return null;

  const emailTaken = rows.some((row) => row.same_email === true && row.clinic_id === person.clinicId);
  return {
    reason: emailTaken ? "emailTaken" : "likelyDuplicate",
    canConfirm: !emailTaken,
    matches: rows.map(toMatch),
  };
}

/** A match as the query reads it. */
interface MatchRow {
  id: number;
  first_name: string;
  last_name: string;
  birthday: string | null;
  email: string | null;
  archived_at: Date | null;
  clinic_id: number;
  clinic_name: string;
  same_email: SqlBool;
  same_name_and_birthday: SqlBool;
}

export function duplicateError(conflict: DuplicatePatientConflict): ChairsideError<DuplicatePatientConflict> {
  const message =
    conflict.reason === "emailTaken"
      ? "another patient of this clinic already has this email"
      : "this patient may already be registered: check the matches, or confirm to create a new record anyway";
  return new ChairsideError("CONFLICT", message, conflict);
}

function toMatch(row: MatchRow): PatientMatch {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    birthday: row.birthday,
    email: row.email,
    clinic: { id: row.clinic_id, name: row.clinic_name },
    archived: row.archived_at !== null,
    sameEmail: row.same_email === true,
    sameNameAndBirthday: row.same_name_and_birthday === true,
  };
}
