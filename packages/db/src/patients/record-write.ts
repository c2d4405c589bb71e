// Writing a patient record: create (with the duplicate warning), edit (optimistic concurrency: no lost
// updates), archive and restore. Each write is one transaction (or one statement); each returns the record.
import {
  type EntityManager,
  ForeignKeyConstraintViolationException,
  LockMode,
  OptimisticLockError,
  raw,
  UniqueConstraintViolationException,
} from "@mikro-orm/postgresql";
import { Patient } from "../entities/index.ts";
import { ChairsideError } from "../errors.ts";
import type { ClinicScope, RequestScope } from "../scope.ts";
import { getPatientRecord, type PatientRecord, patientNotFound } from "./record.ts";
import { duplicateError, findDuplicateConflict, lockPersonKey, type PersonKey } from "./record-duplicates.ts";
import type { PatientCreateInput, PatientUpdateInput } from "./record-input.ts";

/** The `details` of a CONFLICT on an edit made from an outdated version: the record as it is now. */
export interface StalePatientConflict {
  reason: "stale";
  current: PatientRecord;
}

/** The ORM's filter for the patient `id` among those the caller may see. */
function visiblePatient(id: number, scope: ClinicScope) {
  const clinic = scope.clinicFilter;
  return clinic ? { id, clinic } : { id };
}

/** Registers a patient. A likely duplicate is a CONFLICT unless confirmed; an email taken at the clinic always is. */
export async function createPatient(
  request: RequestScope,
  em: EntityManager,
  input: PatientCreateInput,
): Promise<PatientRecord> {
  const scope = request.clinics;
  scope.assertWorksAt(input.clinicId);
  const { confirmDuplicate, clinicId, ...fields } = input;
  let id: number;
  try {
    id = await em.transactional(async (tx) => {
      await lockPersonKey(tx, input);
      const conflict = await findDuplicateConflict(tx, input, scope, { checkNames: true });
      if (conflict && !(conflict.canConfirm && confirmDuplicate)) throw duplicateError(conflict);
      const patient = tx.create(Patient, { ...fields, clinic: clinicId });
      await tx.flush();
      return patient.id;
    });
  } catch (error) {
    throw await explainWriteFailure(em, error, input, scope, clinicId);
  }
  return getPatientRecord(request, em, id);
}

/**
 * Saves an edit made from `version`. The UPDATE is conditional on that version (MikroORM's optimistic lock),
 * so of two saves from the same version exactly one succeeds; the other, like any stale save, is a CONFLICT
 * whose details carry the record as it is now. Edits are not checked for likely duplicates (correcting a
 * record should not nag), but an email taken at the record's clinic is still a CONFLICT.
 */
export async function updatePatient(
  request: RequestScope,
  em: EntityManager,
  input: PatientUpdateInput,
): Promise<PatientRecord> {
  const scope = request.clinics;
  const { id, version, clinicId, ...fields } = input;
  if (clinicId !== undefined) scope.assertWorksAt(clinicId);
  const changes = {
    ...withoutUndefined(fields),
    ...(clinicId !== undefined ? { clinic: clinicId } : {}),
  };
  /** The clinic the record ends up at, where its email must be free. */
  let savedAt = clinicId;
  try {
    await em.transactional(async (tx) => {
      const patient = await tx.findOne(Patient, visiblePatient(id, scope), {
        lockMode: LockMode.OPTIMISTIC,
        lockVersion: version,
      });
      if (!patient) throw patientNotFound(id);
      savedAt ??= patient.clinic.id;
      tx.assign(patient, changes);
      await tx.flush();
    });
  } catch (error) {
    if (error instanceof OptimisticLockError) {
      const current = await getPatientRecord(request, em, id);
      throw new ChairsideError<StalePatientConflict>(
        "CONFLICT",
        "someone else changed this record since you opened it; review their changes and save again",
        { reason: "stale", current },
      );
    }
    throw await explainWriteFailure(em, error, { ...fields, clinicId: savedAt, exceptId: id }, scope, clinicId);
  }
  return getPatientRecord(request, em, id);
}

/** Archives a patient (kept, never deleted). Archiving an archived patient changes nothing. */
export function archivePatient(request: RequestScope, em: EntityManager, id: number): Promise<PatientRecord> {
  return setArchived(request, em, id, true);
}

/** Brings an archived patient back to the lists. Restoring a current patient changes nothing. */
export function restorePatient(request: RequestScope, em: EntityManager, id: number): Promise<PatientRecord> {
  return setArchived(request, em, id, false);
}

/**
 * One conditional UPDATE, atomic on its own: it touches only a record not already in the wanted state (so
 * archiving twice keeps the first date) and bumps the version, as any change to the record does.
 */
async function setArchived(
  request: RequestScope,
  em: EntityManager,
  id: number,
  archived: boolean,
): Promise<PatientRecord> {
  const now = request.now;
  await em
    .createQueryBuilder(Patient)
    .update({ archivedAt: archived ? now : null, updatedAt: now, version: raw("version + 1") })
    .where({ ...visiblePatient(id, request.clinics), archivedAt: archived ? null : { $ne: null } })
    .execute();
  return getPatientRecord(request, em, id);
}

/** Turns the database refusing a write into an error the user can act on; anything else passes unchanged. */
async function explainWriteFailure(
  em: EntityManager,
  error: unknown,
  person: PersonKey & { exceptId?: number },
  scope: ClinicScope,
  clinicId: number | undefined,
): Promise<unknown> {
  if (error instanceof UniqueConstraintViolationException && person.email) {
    // Another save took the email between our check and our insert: describe it as the check would have.
    const conflict = await findDuplicateConflict(em, { email: person.email, clinicId: person.clinicId }, scope, {
      checkNames: false,
      ...(person.exceptId !== undefined ? { exceptId: person.exceptId } : {}),
    });
    if (conflict) return duplicateError(conflict);
  }
  if (error instanceof ForeignKeyConstraintViolationException && clinicId !== undefined) {
    return new ChairsideError("NOT_FOUND", `there is no clinic ${clinicId}`);
  }
  return error;
}

function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
