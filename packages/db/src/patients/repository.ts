// The patients' data API: the list staff live in, its tab counts, the record, and every write to it.

import type { Patient } from "../entities/patient.ts";
import { ChairsideRepository } from "../repository.ts";
import { countPatients, type PatientTabCounts } from "./counts.ts";
import type { FamilyLinkInput, FamilyUnlinkInput, PatientMergeInput } from "./family-input.ts";
import { type FamilyChange, linkFamilyMember, unlinkFamilyMember } from "./family-write.ts";
import { listPatients, type PatientListPage, type PatientListRow, patientListRow, patientListRows } from "./list.ts";
import type { PatientFilters, PatientListInput } from "./list-input.ts";
import { mergePatients, type PatientMerge } from "./merge.ts";
import { listDueForRecall, type RecallListPage } from "./recall.ts";
import type { RecallListInput } from "./recall-input.ts";
import { getPatientRecord, type PatientRecord } from "./record.ts";
import type { PatientCreateInput, PatientUpdateInput } from "./record-input.ts";
import { archivePatient, createPatient, restorePatient, updatePatient } from "./record-write.ts";

/** What a write returns: the record as it now is, and its row as the list now shows it (for loaded pages). */
export type SavedPatient = PatientRecord & { row: PatientListRow };

export class PatientRepository extends ChairsideRepository<Patient> {
  /** One page of the list: one SQL statement, keyset-paginated, never a write. */
  list(input: PatientListInput): Promise<PatientListPage> {
    return listPatients(this.request, this.em, input);
  }

  /** These patients' rows as the list shows them now (those the caller reaches; in id order): one statement. */
  rows(ids: readonly number[]): Promise<PatientListRow[]> {
    return patientListRows(this.request, this.em, ids);
  }

  /** How many patients each tab holds for the same search and clinic: one statement. */
  counts(filters: Pick<PatientFilters, "search" | "clinicId">): Promise<PatientTabCounts> {
    return countPatients(this.request, this.em, filters);
  }

  /** One page of a clinic's recall list, overdue first: one statement, keyset-paginated, never a write. */
  dueForRecall(input: RecallListInput): Promise<RecallListPage> {
    return listDueForRecall(this.request, this.em, input);
  }

  /** The whole record, or NOT_FOUND (also outside the caller's clinics): one statement. */
  record(id: number): Promise<PatientRecord> {
    return getPatientRecord(this.request, this.em, id);
  }

  register(input: PatientCreateInput): Promise<SavedPatient> {
    return this.withRow(createPatient(this.request, this.em, input));
  }

  edit(input: PatientUpdateInput): Promise<SavedPatient> {
    return this.withRow(updatePatient(this.request, this.em, input));
  }

  archive(id: number): Promise<SavedPatient> {
    return this.withRow(archivePatient(this.request, this.em, id));
  }

  restore(id: number): Promise<SavedPatient> {
    return this.withRow(restorePatient(this.request, this.em, id));
  }

  /** Puts the patient in another patient's family; `from` and `to` name the families (their guarantors). */
  async linkFamily(input: FamilyLinkInput): Promise<Omit<FamilyChange, "record"> & { patient: SavedPatient }> {
    const { record, ...change } = await linkFamilyMember(this.request, this.em, input);
    return { ...change, patient: await this.withRow(Promise.resolve(record)) };
  }

  async unlinkFamily(input: FamilyUnlinkInput): Promise<Omit<FamilyChange, "record"> & { patient: SavedPatient }> {
    const { record, ...change } = await unlinkFamilyMember(this.request, this.em, input);
    return { ...change, patient: await this.withRow(Promise.resolve(record)) };
  }

  /** Merges one record into another (owners): the kept record, and how many rows moved to it. */
  async mergeRecords(input: PatientMergeInput): Promise<Omit<PatientMerge, "record"> & { patient: SavedPatient }> {
    const { record, moved } = await mergePatients(this.request, this.em, input);
    return { moved, patient: await this.withRow(Promise.resolve(record)) };
  }

  /** (Repositories are bound per request by prototype: no private members, which a bound view cannot reach.) */
  protected async withRow(saving: Promise<PatientRecord>): Promise<SavedPatient> {
    const record = await saving;
    return { ...record, row: await patientListRow(this.request, this.em, record.id) };
  }
}
