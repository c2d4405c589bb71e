// Families: a guarantor and the patients naming them (Patient.guarantor, one level, never a chain), so a family is
// named by its guarantor's id. Which family a save joins, and the refusals families and merges share.
import type { EntityManager } from "@mikro-orm/postgresql";
import { Patient } from "../entities/index.ts";
import { ChairsideError } from "../errors.ts";
import type { ClinicScope } from "../scope.ts";
import { patientNotFound } from "./record.ts";

/** The `details` of a CONFLICT about a family or a merge (a stale version has its own, with the current record). */
export interface FamilyConflict {
  reason: "merged" | "guarantorWithMembers";
  /** For "merged": the record this one now is. */
  mergedIntoId?: number;
}

/** The ORM's filter for the patient `id` among those the caller may see. */
export function visiblePatient(id: number, scope: ClinicScope) {
  const clinic = scope.clinicFilter;
  return clinic ? { id, clinic } : { id };
}

/** The family a patient joins beside `memberId` (a patient the caller sees, not merged away): its guarantor's id. */
export async function familyToJoin(tx: EntityManager, scope: ClinicScope, memberId: number): Promise<number> {
  const member = await tx.findOne(Patient, visiblePatient(memberId, scope), { fields: ["guarantor", "mergedInto"] });
  if (!member) throw patientNotFound(memberId);
  if (member.mergedInto) throw mergedRecordError(member.mergedInto.id);
  return member.guarantor?.id ?? member.id;
}

export const mergedRecordError = (mergedIntoId: number) =>
  new ChairsideError<FamilyConflict>(
    "CONFLICT",
    `this record was merged into patient ${mergedIntoId}: open that record instead`,
    { reason: "merged", mergedIntoId },
  );

export const guarantorWithMembersError = () =>
  new ChairsideError<FamilyConflict>(
    "CONFLICT",
    "this patient is the guarantor of a family with other members: take them out of the family first",
    { reason: "guarantorWithMembers" },
  );
