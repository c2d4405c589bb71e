import { defineEntity, type InferEntity, p } from "@mikro-orm/core";
import { lastVisitSortKey, RECALL_INTERVAL_MONTHS } from "../clinic-rules.ts";
import { PATIENT_GENDERS } from "../patients/record-input.ts";
import { PatientRepository } from "../patients/repository.ts";
import { Appointment } from "./appointment.ts";
import { Clinic } from "./clinic.ts";
import { MedicalAlert } from "./medical-alert.ts";

export const GENDERS = PATIENT_GENDERS;
export type Gender = (typeof GENDERS)[number];

/**
 * A patient of the practice. `lastVisit` (and its denormalised `lastVisitAt`) is maintained by the
 * database in the same transaction as every appointment change (see Appointment's trigger and
 * clinic-rules.ts); the status is derived from it at read time and never stored.
 */
export const Patient = defineEntity({
  name: "Patient",
  repository: () => PatientRepository,
  properties: {
    id: p.integer().primary().autoincrement(),
    firstName: p.string().length(100),
    lastName: p.string().length(100),
    email: p.string().length(320).nullable(),
    phone: p.string().length(40).nullable(),
    birthday: p.date().nullable(),
    gender: p.enum(GENDERS).default("unspecified"),
    address: p.text().nullable(),
    clinic: () => p.manyToOne(Clinic).ref(),
    notes: p.text().default(""),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    /** Optimistic concurrency: an edit carries the version it started from; a stale one is refused. */
    version: p.integer().version(),
    archivedAt: p.datetime(3).nullable(),
    /** The latest completed appointment; written only by refresh_last_visit() (see migrations). */
    lastVisit: () => p.manyToOne(Appointment).ref().nullable().deleteRule("set null"),
    /** When the last visit took place: lets the status tabs and the last-visit sort use an index. */
    lastVisitAt: p.datetime(3).nullable(),
    /** How many months after a visit the patient is due back (clinic-rules.ts, RECALL_INTERVAL_MONTHS). */
    recallIntervalMonths: p.integer().default(RECALL_INTERVAL_MONTHS.default),
    /** When the recall falls due: the last visit's local date plus the interval, null for a patient never seen.
     *  Written only by the `recall_due` trigger below, so that the recall list can read it from an index. */
    recallDueOn: p.date().nullable(),
    /** The family's guarantor (who answers for the family's account); null for a guarantor and for a patient with
     *  no family. A family is its guarantor and the patients naming them: one level, never a chain. */
    guarantor: () => p.manyToOne(Patient).ref().nullable().deleteRule("no action"),
    /** The record this one was merged into by an owner: kept (never deleted), archived, and pointing at the
     *  record that carries on, which is never itself merged (a later merge moves these pointers on). */
    mergedInto: () => p.manyToOne(Patient).ref().nullable().deleteRule("no action"),
    /** The patient's family as the record shows it (this patient included): read by PostgreSQL when the record
     *  asks (lazy), as a subquery rather than a join, so it multiplies none of the record's other rows. */
    family: p
      .json<FamilyMemberRow[] | null>()
      .formula(
        (columns) => `(select json_agg(json_build_object('id', f.id, 'firstName', f.first_name, 'lastName', f.last_name,
          'birthday', f.birthday, 'clinicId', f.clinic_id, 'guarantor', f.guarantor_id is null)
          order by f.guarantor_id nulls first, f.birthday, f.id)
          from patient f where f.merged_into_id is null and (f.id = coalesce(${columns.guarantor}, ${columns.id})
            or f.guarantor_id = coalesce(${columns.guarantor}, ${columns.id})))`,
      )
      .lazy(),
    /** Every booked visit; the record populates only the ones still to come. */
    appointments: () => p.oneToMany(Appointment).mappedBy("patient"),
    /** Every medical alert ever noted; the record populates only the current ones. */
    alerts: () => p.oneToMany(MedicalAlert).mappedBy("patient"),
    /** How many visits took place, were missed or cancelled, counted by PostgreSQL when the record asks
     *  (lazy: only the record reads it). A formula is SQL by MikroORM's design; it reads
     *  appointment_patient_starts_idx. */
    visits: p
      .json<{ completed: number; missed: number; cancelled: number }>()
      .formula(
        (columns) => `(select json_build_object('completed', count(*) filter (where a.status = 'completed'),
          'missed', count(*) filter (where a.status = 'missed'), 'cancelled', count(*) filter (where a.status = 'cancelled'))
          from appointment a where a.patient_id = ${columns.id})`,
      )
      .lazy(),
    /** Names and email as search compares them (see searchKey) and the phone's national digits, for trigram
     *  search. Computed by PostgreSQL (so optional to the ORM, which never writes it) and lazy: only search
     *  queries read it. */
    searchText: p
      .text()
      .generated("(patient_search_text(first_name, last_name, email, phone)) stored")
      .nullable()
      .lazy(),
    /** The names as search compares them (lower case, no accents, no apostrophes, hyphens, dots or spaces: the
     *  SQL function search_key), which is also the list's name order: "García" beside "Garcia", "O'Brien" beside
     *  "Obrien". Byte-order collation ("C") so that one index serves both that order and a name-prefix search as
     *  a range (see patients/list.ts). Computed by PostgreSQL. */
    searchFirstName: p.text().generated("(search_key(first_name)) stored").nullable().collation("C").lazy(),
    searchLastName: p.text().generated("(search_key(last_name)) stored").nullable().collation("C").lazy(),
    /** The phone's national digits (the SQL function phone_national_digits: "+1 (917) 555-0180" and
     *  "917.555.0180" alike), beside what was typed: a phone search's prefix range. Computed by PostgreSQL. */
    phoneDigits: p
      .text()
      .generated("(nullif(phone_national_digits(phone), '')) stored")
      .nullable()
      .collation("C")
      .lazy(),
  },
  indexes: [
    // The default list order, and its keyset; and a search's last-name-prefix matches, as one range of it.
    { name: "patient_name_idx", properties: ["searchLastName", "searchFirstName", "id"] },
    // The default order within one clinic (receptionists and dentists see only their clinics).
    { name: "patient_clinic_name_idx", properties: ["clinic", "searchLastName", "searchFirstName", "id"] },
    // A search's first-name-prefix matches, as one range.
    { name: "patient_first_name_idx", properties: ["searchFirstName"] },
    // The last-visit sort and the status tabs. Never-visited patients sort as -infinity, so every tab is one
    // range of this key (new: = -infinity, inactive: below the cutoff, active: from it) and the keyset is a
    // plain row comparison, with no NULL special case to defeat the index.
    {
      name: "patient_last_visit_idx",
      expression: `create index "patient_last_visit_idx" on "patient" (${lastVisitSortKey('"last_visit_at"')}, "id")`,
    },
    // The same within one clinic.
    {
      name: "patient_clinic_last_visit_idx",
      expression: `create index "patient_clinic_last_visit_idx" on "patient" ("clinic_id", ${lastVisitSortKey('"last_visit_at"')}, "id")`,
    },
    // The recall list: one clinic's current patients by recall date, overdue first, and its keyset.
    {
      name: "patient_recall_due_idx",
      expression:
        'create index "patient_recall_due_idx" on "patient" ("clinic_id", "recall_due_on", "id") where "archived_at" is null and "recall_due_on" is not null',
    },
    // The likely-duplicate check on registration (same names and birthday), beside the email index; and a
    // search by date of birth or birth year, as one range.
    { name: "patient_birthday_idx", properties: ["birthday"] },
    // A phone search's numbers starting with the digits typed, as one range.
    { name: "patient_phone_digits_idx", properties: ["phoneDigits"] },
    // The email rule and the duplicate check: a patient's email across the clinics a caller sees, in any casing.
    // Not unique: a family may share one (see patients/record-duplicates.ts, which keeps the rule).
    {
      name: "patient_email_clinic_idx",
      expression:
        'create index "patient_email_clinic_idx" on "patient" (lower("email"), "clinic_id") where "email" is not null',
    },
    // A family's members (the patients naming a guarantor); few patients have one.
    {
      name: "patient_guarantor_idx",
      expression: 'create index "patient_guarantor_idx" on "patient" ("guarantor_id") where "guarantor_id" is not null',
    },
    // The records merged into a patient (their audit trail is the survivor's); few are.
    {
      name: "patient_merged_into_idx",
      expression:
        'create index "patient_merged_into_idx" on "patient" ("merged_into_id") where "merged_into_id" is not null',
    },
    // The newest-first (created) sort.
    { name: "patient_created_idx", properties: ["createdAt", "id"] },
    // The same within one clinic.
    { name: "patient_clinic_created_idx", properties: ["clinic", "createdAt", "id"] },
    // The Archived tab: a few patients, in name order, without walking all the others; with the clinic, so that
    // one clinic's archived patients are read from this index alone.
    {
      name: "patient_archived_name_idx",
      expression:
        'create index "patient_archived_name_idx" on "patient" ("search_last_name", "search_first_name", "id") include ("clinic_id") where "archived_at" is not null',
    },
    // Search: substring matches on names, email and phone digits (pg_trgm).
    {
      name: "patient_search_trgm_idx",
      expression: 'create index "patient_search_trgm_idx" on "patient" using gin ("search_text" gin_trgm_ops)',
    },
  ],
  triggers: [
    {
      // The recall date (clinic-rules.ts) follows every change of the last visit, the interval or the clinic, in
      // the same row write, where no code path can skip it. Any other value written to it is replaced by the
      // rule's (the clinic's `recall_redate` trigger relies on that when its time zone changes).
      name: "recall_due",
      timing: "before",
      events: ["insert", "update"],
      forEach: "row",
      body: `
        if TG_OP = 'INSERT' or (NEW.clinic_id, NEW.last_visit_at, NEW.recall_interval_months, NEW.recall_due_on)
            is distinct from (OLD.clinic_id, OLD.last_visit_at, OLD.recall_interval_months, OLD.recall_due_on) then
          NEW.recall_due_on := patient_recall_due_on(NEW.clinic_id, NEW.last_visit_at, NEW.recall_interval_months);
        end if;
        return NEW;`,
    },
    {
      // The tab counts' tallies (see PatientTally) follow every change of a patient's clinic, archived flag or
      // last visit, in the same transaction, where no code path can skip them. The two tallies a move touches
      // are changed in key order, so that two moves the other way round cannot deadlock.
      name: "tally",
      timing: "after",
      events: ["insert", "update", "delete"],
      forEach: "row",
      body: `
        perform move_patient_in_tally(
          OLD.clinic_id, OLD.archived_at is not null, patient_visit_day(OLD.clinic_id, OLD.last_visit_at),
          NEW.clinic_id, NEW.archived_at is not null, patient_visit_day(NEW.clinic_id, NEW.last_visit_at));
        return null;`,
    },
    {
      // Every open list on every server instance hears of a changed patient at commit (ids only: the listeners
      // re-read the row in the reader's scope). A completed visit changes last_visit_at, so it is heard too; a
      // patient moved to another clinic is announced to both.
      name: "changed",
      timing: "after",
      events: ["insert", "update"],
      forEach: "row",
      body: `
        perform pg_notify('patient_changed', json_build_object('patientId', NEW.id, 'clinicId', NEW.clinic_id)::text);
        if TG_OP = 'UPDATE' and OLD.clinic_id <> NEW.clinic_id then
          perform pg_notify('patient_changed', json_build_object('patientId', OLD.id, 'clinicId', OLD.clinic_id)::text);
        end if;
        return null;`,
    },
  ],
});

export type Patient = InferEntity<typeof Patient>;

/** One member of a family as the `family` formula reads it. */
export interface FamilyMemberRow {
  id: number;
  firstName: string;
  lastName: string;
  birthday: string | null;
  clinicId: number;
  guarantor: boolean;
}
