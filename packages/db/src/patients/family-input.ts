// What linking family members and merging records may send. Pure zod, so the browser can import it.
import { z } from "zod";
import { recordId } from "../record-id.ts";

/** Puts the patient (at the `version` the user saw) in the family of `familyOf`. */
export const familyLinkInput = z
  .object({ id: recordId, version: recordId, familyOf: recordId })
  .refine((input) => input.familyOf !== input.id, { message: "choose another patient's family", path: ["familyOf"] });

/** Takes the patient (at the `version` the user saw) out of their family. */
export const familyUnlinkInput = z.object({ id: recordId, version: recordId });

/**
 * Merges the record `mergeId` into `keepId`: both at the versions the owner compared side by side. The kept record
 * carries on with both records' visits; the other stays, archived, as "merged into" it.
 */
export const patientMergeInput = z
  .object({ keepId: recordId, keepVersion: recordId, mergeId: recordId, mergeVersion: recordId })
  .refine((input) => input.keepId !== input.mergeId, {
    message: "a record cannot be merged into itself",
    path: ["mergeId"],
  });

export type FamilyLinkInput = z.infer<typeof familyLinkInput>;
export type FamilyUnlinkInput = z.infer<typeof familyUnlinkInput>;
export type PatientMergeInput = z.infer<typeof patientMergeInput>;
