// Writing a patient record: create (with the duplicate warning), edit (optimistic concurrency: no lost
// updates), archive and restore. Each write is one transaction (or one statement); each returns the record.
import {
  type EntityManager,
  ForeignKeyConstraintViolationException,
  LockMode,
  OptimisticLockError,
  raw,
} from "@mikro-orm/postgresql";
import { Patient } from "../entities/index.ts";
import { ChairsideError } from "../errors.ts";
import type { RequestScope } from "../scope.ts";
import { familyToJoin, mergedRecordError, visiblePatient } from "./family.ts";
import { getPatientRecord, type PatientRecord, patientNotFound } from "./record.ts";
import { duplicateError, findDuplicateConflict, lockPersonKey } from "./record-duplicates.ts";
import type { PatientCreateInput, PatientUpdateInput } from "./record-input.ts";

/** The `details` of a CONFLICT on an edit made from an outdated version: the record as it is now. */
export interface StalePatientConflict {
  reason: "stale";
  current: PatientRecord;
}

/**
 * Registers a patient, in the family of `familyOf` when given. A likely duplicate is a CONFLICT unless confirmed;
 * an email another family has at the clinic always is.
 */
export async function createPatient(
  request: RequestScope,
  em: EntityManager,
  input: PatientCreateInput,
): Promise<PatientRecord> {
  const scope = request.clinics;
  scope.assertWorksAt(input.clinicId);
  const { confirmDuplicate, clinicId, familyOf, ...fields } = input;
  let id: number;
  try {
    id = await em.transactional(async (tx) => {
      await lockPersonKey(tx, input);
      const familyId = familyOf === undefined ? null : await familyToJoin(tx, scope, familyOf);
      const conflict = await findDuplicateConflict(tx, { ...input, familyId }, scope, { checkNames: true });
      if (conflict && !(conflict.canConfirm && confirmDuplicate)) throw duplicateError(conflict);
      const patient = tx.create(Patient, { ...fields, clinic: clinicId, guarantor: familyId });
      await tx.flush();
      return patient.id;
    });
  } catch (error) {
    throw explainWriteFailure(error, clinicId);
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
  try {
    await em.transactional(async (tx) => {
      const patient = await tx.findOne(Patient, visiblePatient(id, scope), {
        lockMode: LockMode.OPTIMISTIC,
        lockVersion: version,
      });
      if (!patient) throw patientNotFound(id);
      if (patient.mergedInto) throw mergedRecordError(patient.mergedInto.id);
      // The clinic the record ends up at, where its email must be free outside the family.
      const savedAt = clinicId ?? patient.clinic.id;
      const email = fields.email === undefined ? patient.email : fields.email;
      if (email && (fields.email !== undefined || clinicId !== undefined)) {
        // A new email, or a move to another clinic: the email must be free there (outside the family).
        await lockPersonKey(tx, { email });
        const person = { email, clinicId: savedAt, familyId: patient.guarantor?.id ?? patient.id };
        const conflict = await findDuplicateConflict(tx, person, scope, { checkNames: false, exceptId: id });
        if (conflict?.reason === "emailTaken") throw duplicateError(conflict);
      }
      tx.assign(patient, changes);
      await tx.flush();
    });
  } catch (error) {
    if (error instanceof OptimisticLockError) throw await staleRecordError(request, em, id);
    throw explainWriteFailure(error, clinicId);
  }
  return getPatientRecord(request, em, id);
}

/** The CONFLICT of a save made from an outdated version, with the record as it is now. */
export async function staleRecordError(
  request: RequestScope,
  em: EntityManager,
  id: number,
): Promise<ChairsideError<StalePatientConflict>> {
  const current = await getPatientRecord(request, em, id);
  return new ChairsideError<StalePatientConflict>(
    "CONFLICT",
    "someone else changed this record since you opened it; review their changes and save again",
    { reason: "stale", current },
  );
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
    // A merged record stays archived: restoring it would list a second record of the patient again.
    .where({ ...visiblePatient(id, request.clinics), mergedInto: null, archivedAt: archived ? null : { $ne: null } })
    .execute();
  const record = await getPatientRecord(request, em, id);
  if (!archived && record.mergedInto) throw mergedRecordError(record.mergedInto.id);
  return record;
}

/** Turns the database refusing a write into an error the user can act on; anything else passes unchanged.
 *  (An email taken at the clinic is found before the write: see record-duplicates.ts.) */
function explainWriteFailure(error: unknown, clinicId: number | undefined): unknown {
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
