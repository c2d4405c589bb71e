// Linking a patient into a family and taking them out of it: one transaction each, from the version the user saw
// (a stale one is a CONFLICT with the record as it is now), keeping the email rule (record-duplicates.ts).
import { type EntityManager, LockMode, OptimisticLockError } from "@mikro-orm/postgresql";
import { Patient } from "../entities/index.ts";
import type { RequestScope } from "../scope.ts";
import { familyToJoin, guarantorWithMembersError, mergedRecordError, visiblePatient } from "./family.ts";
import type { FamilyLinkInput, FamilyUnlinkInput } from "./family-input.ts";
import { getPatientRecord, type PatientRecord, patientNotFound } from "./record.ts";
import { duplicateError, findDuplicateConflict, lockPersonKey } from "./record-duplicates.ts";
import { staleRecordError } from "./record-write.ts";

/** What a family change did, for its audit entry: the family left and the family joined (guarantors' ids). */
export interface FamilyChange {
  record: PatientRecord;
  from: number | null;
  to: number | null;
}

/**
 * Puts the patient in the family of `familyOf` (under its guarantor; a patient with no family becomes the
 * guarantor of the new one). A patient already in another family moves; a guarantor whose family has other
 * members cannot (they would be left without one).
 */
export function linkFamilyMember(request: RequestScope, em: EntityManager, input: FamilyLinkInput) {
  return changeFamily(request, em, input, (tx) => familyToJoin(tx, request.clinics, input.familyOf));
}

/** Takes the patient out of their family; the guarantor only once the others have left. */
export function unlinkFamilyMember(request: RequestScope, em: EntityManager, input: FamilyUnlinkInput) {
  return changeFamily(request, em, input, async () => null);
}

async function changeFamily(
  request: RequestScope,
  em: EntityManager,
  { id, version }: { id: number; version: number },
  /** The family the patient ends up in (its guarantor's id), or null for none. */
  familyAfter: (tx: EntityManager) => Promise<number | null>,
): Promise<FamilyChange> {
  const scope = request.clinics;
  let change: { from: number | null; to: number | null };
  try {
    change = await em.transactional(async (tx) => {
      const patient = await tx.findOne(Patient, visiblePatient(id, scope), {
        lockMode: LockMode.OPTIMISTIC,
        lockVersion: version,
      });
      if (!patient) throw patientNotFound(id);
      if (patient.mergedInto) throw mergedRecordError(patient.mergedInto.id);
      const members = patient.guarantor ? 0 : await tx.count(Patient, { guarantor: patient.id, mergedInto: null });
      const from = patient.guarantor?.id ?? (members > 0 ? patient.id : null);
      const to = await familyAfter(tx);
      if (to === from) return { from, to };
      if (members > 0) throw guarantorWithMembersError();
      if (patient.email) {
        // Leaving a family may leave the patient sharing an email with patients no longer theirs.
        await lockPersonKey(tx, { email: patient.email });
        const person = { email: patient.email, clinicId: patient.clinic.id, familyId: to ?? patient.id };
        const conflict = await findDuplicateConflict(tx, person, scope, { checkNames: false, exceptId: id });
        if (conflict?.reason === "emailTaken") throw duplicateError(conflict);
      }
      tx.assign(patient, { guarantor: to });
      await tx.flush();
      return { from, to };
    });
  } catch (error) {
    if (error instanceof OptimisticLockError) throw await staleRecordError(request, em, id);
    throw error;
  }
  return { record: await getPatientRecord(request, em, id), ...change };
}
