// The patients' data API: the list staff live in, its tab counts, the record, and every write to it.

import type { Patient } from "../entities/patient.ts";
import { ChairsideRepository } from "../repository.ts";
import { countPatients, type PatientTabCounts } from "./counts.ts";
import { listPatients, type PatientListPage } from "./list.ts";
import type { PatientFilters, PatientListInput } from "./list-input.ts";
import { getPatientRecord, type PatientRecord } from "./record.ts";
import type { PatientCreateInput, PatientUpdateInput } from "./record-input.ts";
import { archivePatient, createPatient, restorePatient, updatePatient } from "./record-write.ts";

export class PatientRepository extends ChairsideRepository<Patient> {
  /** One page of the list: one SQL statement, keyset-paginated, never a write. */
  list(input: PatientListInput): Promise<PatientListPage> {
    return listPatients(this.request, this.em, input);
  }

  /** How many patients each tab holds for the same search and clinic: one statement. */
  counts(filters: Pick<PatientFilters, "search" | "clinicId">): Promise<PatientTabCounts> {
    return countPatients(this.request, this.em, filters);
  }

  /** The whole record, or NOT_FOUND (also outside the caller's clinics): one statement. */
  record(id: number): Promise<PatientRecord> {
    return getPatientRecord(this.request, this.em, id);
  }

  register(input: PatientCreateInput): Promise<PatientRecord> {
    return createPatient(this.request, this.em, input);
  }

  edit(input: PatientUpdateInput): Promise<PatientRecord> {
    return updatePatient(this.request, this.em, input);
  }

  archive(id: number): Promise<PatientRecord> {
    return archivePatient(this.request, this.em, id);
  }

  restore(id: number): Promise<PatientRecord> {
    return restorePatient(this.request, this.em, id);
  }
}
