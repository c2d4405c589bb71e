// Whether a patient being registered (or re-emailed, or leaving a family) already has a record: the same email in
// any casing at the same clinic outside the patient's family, which is refused, or at another clinic, or the same
// names (accents and case ignored) with the same birthday, phone or email, which only warn. Only records the caller
// may see are looked at: another clinic's patients are nobody else's business, so an email is unique per clinic.
import type { EntityManager } from "@mikro-orm/postgresql";
import { type Expression, type SqlBool, sql } from "kysely";
import type { CalendarDate } from "../clinic-rules.ts";
import { ChairsideError } from "../errors.ts";
import { rowsOf, run, sqlFor } from "../postgres/sql.ts";
import type { ClinicScope } from "../scope.ts";
import { type Condition, clinicCondition, p } from "./filters.ts";
import type { NamedRef } from "./record.ts";
import { searchKey } from "./search.ts";

/** An existing record that looks like the patient being saved. */
export interface PatientMatch {
  id: number;
  firstName: string;
  lastName: string;
  birthday: CalendarDate | null;
  email: string | null;
  phone: string | null;
  clinic: NamedRef;
  archived: boolean;
  /** The same email, in any casing; at the same clinic outside the patient's family, the email is taken. */
  sameEmail: boolean;
  sameNameAndBirthday: boolean;
  /** The same names and the same phone digits (the last nine: "+1 (212) 555-0100" is "212 555 0100"). */
  sameNameAndPhone: boolean;
  sameNameAndEmail: boolean;
  /** The match is a member of the family the patient is saved in (may share its email). */
  sameFamily: boolean;
}

/** The `details` of a CONFLICT about a patient who seems to exist already. */
export interface DuplicatePatientConflict {
  reason: "emailTaken" | "likelyDuplicate";
  /** Whether sending `confirmDuplicate: true` would create the record anyway (never when the email is taken:
   *  registering the patient in the family of a match that has it is the way to share an email). */
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
  phone?: string | null | undefined;
  birthday?: CalendarDate | null | undefined;
  /** The family the record is (or will be) in, named by its guarantor's id: its members may share the email. */
  familyId?: number | null | undefined;
}

const MAX_MATCHES = 20;

/** How many trailing digits two phones must share: a national number is 9 or more, so "+1 (212) 555-0100" and
 *  "212 555 0100" match whether or not the country code was typed, in any country. Search's phone_digits knows
 *  only the US code; a warning that also needs the same names can afford the looser rule. */
const PHONE_DIGITS_COMPARED = 9;
/** A phone number as duplicates compare it: its last digits. The same in SQL is `phoneKey` below. */
export const phoneKeyOf = (phone: string) => phone.replace(/\D/g, "").slice(-PHONE_DIGITS_COMPARED);
const phoneKey = p.fn<string>("right", [
  p.fn<string>("regexp_replace", ["p.phone", sql.lit("\\D"), sql.lit(""), sql.lit("g")]),
  sql.lit(PHONE_DIGITS_COMPARED),
]);

/** A family's id: its guarantor's, which is a guarantor's own id (see Patient.guarantor). */
export const familyIdOf = p.fn.coalesce("p.guarantor_id", "p.id");

const advisoryLock = (key: Expression<unknown>) =>
  p.fn("pg_advisory_xact_lock", [p.fn("hashtextextended", [key, sql.lit(0)])]);

/**
 * Serialises saves that could make the same duplicate until the transaction ends: registrations of the same names
 * (so two receptionists saving the same walk-in at once get the warning rather than two records), then any save of
 * the same email (the email rule below has no unique index to settle that race: a family may share an email).
 * Always names before email, so two saves never wait on each other's second lock.
 */
export async function lockPersonKey(tx: EntityManager, person: PersonKey): Promise<void> {
  if (person.firstName !== undefined && person.lastName !== undefined) {
    const key = [sql.lit("patient:"), searchKey(person.firstName), sql.lit("|"), searchKey(person.lastName)].reduce(
      (text, part) => p(text, "||", part),
    );
    await run(tx, sqlFor(tx).selectNoFrom(advisoryLock(key).as("locked")));
  }
  if (person.email) {
    const key = p(
      sql.lit("patient-email:"),
      "||",
      p.fn<string>("lower", [p.cast<string>(p.val(person.email), "text")]),
    );
    await run(tx, sqlFor(tx).selectNoFrom(advisoryLock(key).as("locked")));
  }
}

/**
 * The conflict a save of `person` runs into, or null. The rule on emails lives here: at one clinic, only members
 * of one family share an email (taken otherwise); elsewhere the same email is a likely duplicate, unless it is a
 * family member's. The same names with the same birthday, phone digits or email are a likely duplicate anywhere,
 * family or not. Merged-away records never match (the record they went into does). `exceptId` leaves out the
 * record being edited; `checkNames: false` (edits) looks at the email alone.
 */
export async function findDuplicateConflict(
  em: EntityManager,
  person: PersonKey,
  scope: ClinicScope,
  options: { checkNames: boolean; exceptId?: number },
): Promise<DuplicatePatientConflict | null> {
  const email = person.email ?? null;
  const names =
    options.checkNames && person.firstName !== undefined && person.lastName !== undefined
      ? { first: person.firstName, last: person.lastName }
      : null;
  const birthday = names ? (person.birthday ?? null) : null;
  const digits = names && person.phone ? phoneKeyOf(person.phone) : "";
  if (email === null && birthday === null && digits === "") return null;

  const visible = clinicCondition(scope.clinicIds);
  const familyId = person.familyId ?? null;
  const sameFamily = familyId === null ? p.lit(false) : p(familyIdOf, "=", familyId);
  const sameEmail =
    email === null
      ? p.lit(false)
      : p.and([
          p("p.email", "is not", null),
          p(p.fn("lower", ["p.email"]), "=", p.fn("lower", [p.cast(p.val(email), "text")])),
        ]);
  // The stored names as search compares them (search_key), so that patient_name_idx finds the namesakes.
  const sameNames = names
    ? p.and([
        p("p.search_last_name", "=", searchKey(names.last)),
        p("p.search_first_name", "=", searchKey(names.first)),
      ])
    : p.lit(false);
  const sameNameAnd = (condition: Condition | null) =>
    condition === null ? p.lit(false) : p.and([sameNames, condition]);
  const sameNameAndBirthday = sameNameAnd(
    birthday === null ? null : p("p.birthday", "=", p.cast<string>(p.val(birthday), "date")),
  );
  const sameNameAndPhone = sameNameAnd(digits === "" ? null : p(phoneKey, "=", digits));
  const sameNameAndEmail = sameNameAnd(email === null ? null : sameEmail);
  const query = sqlFor(em)
    .selectFrom("patient as p")
    .innerJoin("clinic as c", "c.id", "p.clinic_id")
    .select([
      "p.id",
      "p.first_name",
      "p.last_name",
      p.fn<string | null>("to_char", ["p.birthday", sql.lit("YYYY-MM-DD")]).as("birthday"),
      "p.email",
      "p.phone",
      "p.archived_at",
      "c.id as clinic_id",
      "c.name as clinic_name",
      p.fn.coalesce(sameEmail, sql.lit(false)).as("same_email"),
      p.fn.coalesce(sameNameAndBirthday, sql.lit(false)).as("same_name_and_birthday"),
      p.fn.coalesce(sameNameAndPhone, sql.lit(false)).as("same_name_and_phone"),
      p.fn.coalesce(sameNameAndEmail, sql.lit(false)).as("same_name_and_email"),
      sameFamily.as("same_family"),
    ])
    .where(p.or([p.and([sameEmail, p.not(sameFamily)]), sameNameAndBirthday, sameNameAndPhone, sameNameAndEmail]))
    .where("p.merged_into_id", "is", null)
    .$if(visible !== null, (query) => query.where(visible as Condition))
    .where("p.id", "<>", options.exceptId ?? 0)
    .orderBy("same_email", "desc")
    .orderBy("p.id")
    .limit(MAX_MATCHES);
  const rows = await rowsOf(em, query);
  if (rows.length === 0) return null;

  const emailTaken = rows.some(
    (row) => row.same_email === true && row.same_family !== true && row.clinic_id === person.clinicId,
  );
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
  phone: string | null;
  archived_at: Date | null;
  clinic_id: number;
  clinic_name: string;
  same_email: SqlBool;
  same_name_and_birthday: SqlBool;
  same_name_and_phone: SqlBool;
  same_name_and_email: SqlBool;
  same_family: SqlBool;
}

export function duplicateError(conflict: DuplicatePatientConflict): ChairsideError<DuplicatePatientConflict> {
  const message =
    conflict.reason === "emailTaken"
      ? "another patient of this clinic already has this email: register the patient in their family to share it"
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
    phone: row.phone,
    clinic: { id: row.clinic_id, name: row.clinic_name },
    archived: row.archived_at !== null,
    sameEmail: row.same_email === true,
    sameNameAndBirthday: row.same_name_and_birthday === true,
    sameNameAndPhone: row.same_name_and_phone === true,
    sameNameAndEmail: row.same_name_and_email === true,
    sameFamily: row.same_family === true,
  };
}
