// Whether a patient being registered (or re-emailed) already has a record: the same email in any casing at the
// same clinic, which the database forbids outright, or at another clinic, or the same names (accents and case
// ignored) and birthday, which only warn. Only records the caller may see are looked at: another clinic's
// patients are nobody else's business, so an email is unique per clinic (patient_email_clinic_unique).
import type { EntityManager } from "@mikro-orm/postgresql";
import type { CalendarDate } from "../clinic-rules.ts";
import { ChairsideError } from "../errors.ts";
import { type ClinicScope, clinicCondition } from "./filters.ts";
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

interface MatchRow {
  id: number;
  first_name: string;
  last_name: string;
  birthday: string | null;
  email: string | null;
  archived_at: string | null;
  clinic_id: number;
  clinic_name: string;
  same_email: boolean;
  same_name_and_birthday: boolean;
}

const MAX_MATCHES = 20;

/**
 * Serialises registrations of the same person (names and birthday) until the transaction ends, so that two
 * receptionists saving the same walk-in at once get the duplicate warning rather than two records.
 * The email needs no lock: its unique index settles that race within a clinic.
 */
export async function lockPersonKey(tx: EntityManager, person: PersonKey): Promise<void> {
  if (!person.birthday || person.firstName === undefined || person.lastName === undefined) return;
  await tx.execute(
    `select pg_advisory_xact_lock(hashtextextended(
       'patient:' || search_normalize(?::text) || '|' || search_normalize(?::text) || '|' || ?::text, 0))`,
    [person.firstName, person.lastName, person.birthday],
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
  // Null makes the name condition null (false) in SQL: names are compared only with a birthday to match.
  const birthday = options.checkNames ? (person.birthday ?? null) : null;
  if (email === null && birthday === null) return null;

  const visible = clinicCondition(scope.clinicIds) ?? { sql: "true", params: [] };
  const sameEmail = "(p.email is not null and lower(p.email) = lower(?::text))";
  const sameNameAndBirthday = `(p.birthday = ?::date
      and search_normalize(p.first_name) = search_normalize(?::text)
      and search_normalize(p.last_name) = search_normalize(?::text))`;
  const nameParams = [birthday, person.firstName ?? null, person.lastName ?? null];
  const rows = await em.execute<MatchRow[]>(
    `select p.id, p.first_name, p.last_name, to_char(p.birthday, 'YYYY-MM-DD') as birthday, p.email, p.archived_at,
            c.id as clinic_id, c.name as clinic_name,
            coalesce(${sameEmail}, false) as same_email,
            coalesce(${sameNameAndBirthday}, false) as same_name_and_birthday
       from patient p
       join clinic c on c.id = p.clinic_id
      where (${sameEmail} or ${sameNameAndBirthday}) and ${visible.sql}
        and p.id <> ?
      order by same_email desc, p.id
      limit ${MAX_MATCHES}`,
    [email, ...nameParams, email, ...nameParams, ...visible.params, options.exceptId ?? 0],
  );
  if (rows.length === 0) return null;

  const emailTaken = rows.some((row) => row.same_email && row.clinic_id === person.clinicId);
  return {
    reason: emailTaken ? "emailTaken" : "likelyDuplicate",
    canConfirm: !emailTaken,
    matches: rows.map(toMatch),
  };
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
    sameEmail: row.same_email,
    sameNameAndBirthday: row.same_name_and_birthday,
  };
}
