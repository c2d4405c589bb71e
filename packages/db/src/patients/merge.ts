// An owner's merge of two records of one person (HL7's logical merge): the kept record takes over the other's
// visits and every other row that belongs to a patient, its family and whatever had been merged into it; the other
// stays, archived, as "merged into" the kept one (never deleted), and its audit trail reads as the kept record's
// (audit/list.ts). One transaction, from the two versions the owner compared: a stale one refuses the whole merge.
import type { EntityManager } from "@mikro-orm/postgresql";
import { sql } from "kysely";
import { ChairsideError } from "../errors.ts";
import { rowsOf, run, sqlFor } from "../postgres/sql.ts";
import type { RequestScope } from "../scope.ts";
import { mergedRecordError } from "./family.ts";
import type { PatientMergeInput } from "./family-input.ts";
import { type Condition, clinicCondition } from "./filters.ts";
import { getPatientRecord, type PatientRecord, patientNotFound } from "./record.ts";

/**
 * The tables whose rows belong to one patient (by `patient_id`) and move to the kept record: the one list a new
 * per-patient table joins. The last visit follows its appointments by itself (the appointment trigger refreshes
 * both patients). Not the audit trail: it is append-only, and read through the merged record instead.
 */
export const MOVED_ON_MERGE = ["appointment", "medical_alert"] as const;

/** The `details` of a CONFLICT on a merge from an outdated version: both records as they are now. */
export interface StaleMergeConflict {
  reason: "stale";
  keep: PatientRecord;
  merge: PatientRecord;
}

/** What a merge did, for its audit entries. */
export interface PatientMerge {
  record: PatientRecord;
  /** Rows moved to the kept record, per table. */
  moved: Record<(typeof MOVED_ON_MERGE)[number], number>;
}

export async function mergePatients(
  request: RequestScope,
  em: EntityManager,
  input: PatientMergeInput,
): Promise<PatientMerge> {
  const { keepId, mergeId } = input;
  let moved: PatientMerge["moved"];
  try {
    moved = await em.transactional(async (tx) => {
      const db = sqlFor(tx);
      const visible = clinicCondition(request.clinics.clinicIds);
      // Both rows locked, in id order (two merges of the same pair the other way round queue, not deadlock).
      const rows = await rowsOf(
        tx,
        db
          .selectFrom("patient as p")
          .select(["p.id", "p.version", "p.guarantor_id", "p.merged_into_id"])
          .where("p.id", "in", [keepId, mergeId])
          .$if(visible !== null, (query) => query.where(visible as Condition))
          .orderBy("p.id")
          .forUpdate(),
      );
      const keep = rows.find((row) => row.id === keepId);
      const merge = rows.find((row) => row.id === mergeId);
      if (!keep) throw patientNotFound(keepId);
      if (!merge) throw patientNotFound(mergeId);
      for (const row of [keep, merge]) if (row.merged_into_id !== null) throw mergedRecordError(row.merged_into_id);
      if (keep.version !== input.keepVersion || merge.version !== input.mergeVersion) throw new StaleMerge();

      const movedRows = {} as PatientMerge["moved"];
      for (const table of MOVED_ON_MERGE) {
        const { affected } = await run(
          tx,
          db.updateTable(table).set({ patient_id: keepId }).where("patient_id", "=", mergeId),
        );
        movedRows[table] = affected;
      }

      // The family: a kept record with none takes the merged one's place in its family; the merged record's
      // members (and earlier merges into it) follow the kept record.
      const keepFamily = await currentFamily(tx, keepId, keep.guarantor_id);
      const keepGuarantor =
        keep.guarantor_id === mergeId ? null : keepFamily === null ? merge.guarantor_id : keep.guarantor_id;
      const guarantor = keepGuarantor ?? keepId;
      await run(
        tx,
        db
          .updateTable("patient")
          .set({ guarantor_id: guarantor })
          .where("guarantor_id", "=", mergeId)
          .where("id", "<>", keepId),
      );
      await run(tx, db.updateTable("patient").set({ merged_into_id: keepId }).where("merged_into_id", "=", mergeId));
      const now = request.now;
      await run(
        tx,
        db
          .updateTable("patient")
          .set({ guarantor_id: keepGuarantor, version: sql`version + 1`, updated_at: now })
          .where("id", "=", keepId),
      );
      await run(
        tx,
        db
          .updateTable("patient")
          .set({
            merged_into_id: keepId,
            guarantor_id: null,
            archived_at: sql`coalesce(archived_at, ${now})`,
            version: sql`version + 1`,
            updated_at: now,
          })
          .where("id", "=", mergeId),
      );
      return movedRows;
    });
  } catch (error) {
    if (error instanceof StaleMerge) {
      const [keep, merge] = await Promise.all([
        getPatientRecord(request, em, keepId),
        getPatientRecord(request, em, mergeId),
      ]);
      throw new ChairsideError<StaleMergeConflict>(
        "CONFLICT",
        "one of the records changed since you compared them; compare them again before merging",
        { reason: "stale", keep, merge },
      );
    }
    throw error;
  }
  return { record: await getPatientRecord(request, em, keepId), moved };
}

/** A version the owner compared is no longer the record's: the transaction rolls back, then the records are read. */
class StaleMerge extends Error {}

/** The family the patient is in (its guarantor's id), or null when they have none. */
async function currentFamily(tx: EntityManager, id: number, guarantorId: number | null): Promise<number | null> {
  if (guarantorId !== null) return guarantorId;
  const members = await rowsOf(
    tx,
    sqlFor(tx)
      .selectFrom("patient as p")
      .select("p.id")
      .where("p.guarantor_id", "=", id)
      .where("p.merged_into_id", "is", null)
      .limit(1),
  );
  return members.length > 0 ? id : null;
}
