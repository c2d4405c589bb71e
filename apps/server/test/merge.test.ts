// An owner merges two records of one person: the visits, the family and the audit trail follow the kept record,
// the last visits stay right, and the merged record stays findable as merged into the kept one.
import { ChairsideError, type FamilyConflict, type StaleMergeConflict } from "@chairside/db";
import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type Caller, createTestApi, failure, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
let receptionist: Caller;

beforeAll(async () => {
  api = await createTestApi({ patients: 120 });
  [owner, receptionist] = await Promise.all([api.as(ACCOUNTS.owner), api.as(ACCOUNTS.receptionist)]);
});
afterAll(() => api.close());

function detailsOf<Details>(error: TRPCError): Details {
  expect(error.cause).toBeInstanceOf(ChairsideError);
  return (error.cause as ChairsideError<Details>).details as Details;
}

/** Two patients of clinic 1 with completed visits, in no family, not yet used by another test. */
const used = new Set<number>();
async function twoVisitedPatients(): Promise<[number, number]> {
  const rows = await api.db.sql<{ id: number }>(
    `select p.id from patient p where p.clinic_id = 1 and p.last_visit_id is not null and p.guarantor_id is null
        and p.merged_into_id is null and p.archived_at is null
        and not exists (select from patient c where c.guarantor_id = p.id) order by p.id`,
  );
  const [a, b] = rows.map((row) => row.id).filter((id) => !used.has(id));
  if (a === undefined || b === undefined) throw new Error("not enough seeded patients");
  used.add(a).add(b);
  return [a, b];
}

async function appointmentIds(patientId: number): Promise<number[]> {
  const rows = await api.db.sql<{ id: number }>("select id from appointment where patient_id = $1 order by id", [
    patientId,
  ]);
  return rows.map((row) => row.id);
}

/** The patient's stored last visit, and what it should be: their latest completed appointment. */
async function lastVisits(patientId: number) {
  const [row] = await api.db.sql<{ stored: number | null; expected: number | null; at: Date | null }>(
    `select p.last_visit_id as stored, p.last_visit_at as at,
            (select a.id from appointment a where a.patient_id = p.id and a.status = 'completed'
              order by a.starts_at desc, a.id desc limit 1) as expected
       from patient p where p.id = $1`,
    [patientId],
  );
  return row;
}

async function merge(keepId: number, mergeId: number) {
  const [keep, gone] = await Promise.all([owner.patients.byId({ id: keepId }), owner.patients.byId({ id: mergeId })]);
  return owner.patients.merge({ keepId, keepVersion: keep.version, mergeId, mergeVersion: gone.version });
}

describe("merging two records", () => {
  it("moves the visits, keeps both last visits right, and leaves the merged record findable", async () => {
    const [first, second] = await twoVisitedPatients();
    // The merged record has the later last visit, so that the kept record's last visit must change.
    const [a, b] = [await lastVisits(first), await lastVisits(second)];
    const [keepId, mergeId] = (a?.at as Date) < (b?.at as Date) ? [first, second] : [second, first];
    const visits = [...(await appointmentIds(keepId)), ...(await appointmentIds(mergeId))].sort((x, y) => x - y);
    const before = await lastVisits(mergeId);
    expect(before?.stored).not.toBeNull();

    const kept = await merge(keepId, mergeId);
    expect(kept.id).toBe(keepId);
    expect(await appointmentIds(keepId)).toEqual(visits);
    expect(await appointmentIds(mergeId)).toEqual([]);
    const keptVisit = await lastVisits(keepId);
    expect(keptVisit?.stored).toBe(keptVisit?.expected);
    expect(kept.lastVisit?.appointmentId).toBe(keptVisit?.expected);
    expect(keptVisit?.stored).toBe(before?.stored);
    expect(await lastVisits(mergeId)).toMatchObject({ stored: null, expected: null, at: null });

    const gone = await owner.patients.byId({ id: mergeId });
    expect(gone).toMatchObject({
      archived: true,
      lastVisit: null,
      mergedInto: { id: keepId, firstName: kept.firstName },
    });
    const listed = await owner.patients.list({ search: `${gone.firstName} ${gone.lastName}` });
    expect(listed.items.map((item) => item.id)).not.toContain(mergeId);
  });

  it("brings the merged record's medical alerts to the kept one", async () => {
    const [keepId, mergeId] = await twoVisitedPatients();
    await receptionist.alerts.add({ patientId: mergeId, kind: "allergy", text: "Latex gloves (merged)" });
    const kept = await merge(keepId, mergeId);
    expect(kept.alerts.map((alert) => alert.text)).toContain("Latex gloves (merged)");
    const rows = await api.db.sql<{ patient_id: number }>(
      "select patient_id from medical_alert where text = 'Latex gloves (merged)'",
    );
    expect(rows.map((row) => row.patient_id)).toEqual([keepId]);
  });

  it("audits both records, and the kept record's trail carries the merged one's", async () => {
    const [keepId, mergeId] = await twoVisitedPatients();
    await owner.patients.byId({ id: mergeId });
    await api.auditWriter.flush();
    await merge(keepId, mergeId);
    await api.auditWriter.flush();
    const entries = await api.db.sql<{ patient_id: number; details: Record<string, unknown> }>(
      "select patient_id, details from audit_entry where action = 'patient.merge' and patient_id in ($1, $2) order by id",
      [keepId, mergeId],
    );
    expect(entries.map((entry) => entry.patient_id)).toEqual([keepId, mergeId]);
    for (const entry of entries) expect(entry.details).toMatchObject({ keptId: keepId, mergedId: mergeId });

    const trail = await owner.audit.list({ patientId: keepId, limit: 100 });
    const seen = new Set(trail.items.map((item) => `${item.action}:${item.patient?.id}`));
    expect(seen).toContain(`patient.view:${mergeId}`);
    expect(seen).toContain(`patient.merge:${mergeId}`);
    expect(seen).toContain(`patient.merge:${keepId}`);
  });

  it("brings the merged record's family to the kept one, and later merges' records along", async () => {
    const [keepId, mergeId] = await twoVisitedPatients();
    const head = await owner.patients.byId({ id: mergeId });
    const child = await owner.patients.create({
      firstName: "Nil",
      lastName: head.lastName,
      email: head.email,
      clinicId: 1,
      familyOf: mergeId,
      confirmDuplicate: true,
    });
    const [, earlierId] = await twoVisitedPatients();
    await merge(mergeId, earlierId);
    const kept = await merge(keepId, mergeId);
    expect(kept.family?.map((member) => [member.id, member.guarantor])).toEqual([
      [keepId, true],
      [child.id, false],
    ]);
    expect((await owner.patients.byId({ id: earlierId })).mergedInto?.id).toBe(keepId);
    const trail = await owner.audit.list({ patientId: keepId, limit: 100 });
    expect(trail.items.some((item) => item.patient?.id === earlierId)).toBe(true);
  });

  it("lets only one of two opposite merges of the same records happen", async () => {
    const [firstId, secondId] = await twoVisitedPatients();
    const [first, second] = await Promise.all([
      owner.patients.byId({ id: firstId }),
      owner.patients.byId({ id: secondId }),
    ]);
    const results = await Promise.allSettled([
      owner.patients.merge({
        keepId: firstId,
        keepVersion: first.version,
        mergeId: secondId,
        mergeVersion: second.version,
      }),
      owner.patients.merge({
        keepId: secondId,
        keepVersion: second.version,
        mergeId: firstId,
        mergeVersion: first.version,
      }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const merged = await api.db.sql<{ id: number }>(
      "select id from patient where id in ($1, $2) and merged_into_id is not null",
      [firstId, secondId],
    );
    expect(merged).toHaveLength(1);
  });

  it("refuses stale versions, naming both records as they are, and moves nothing", async () => {
    const [keepId, mergeId] = await twoVisitedPatients();
    const [keep, gone] = await Promise.all([owner.patients.byId({ id: keepId }), owner.patients.byId({ id: mergeId })]);
    const edited = await receptionist.patients.update({
      id: mergeId,
      version: gone.version,
      notes: "changed meanwhile",
    });
    const visits = await appointmentIds(mergeId);
    const refused = await failure(
      owner.patients.merge({ keepId, keepVersion: keep.version, mergeId, mergeVersion: gone.version }),
    );
    expect(refused.code).toBe("CONFLICT");
    const conflict = detailsOf<StaleMergeConflict>(refused);
    expect(conflict.reason).toBe("stale");
    expect([conflict.keep.version, conflict.merge.version]).toEqual([keep.version, edited.version]);
    expect(await appointmentIds(mergeId)).toEqual(visits);
    expect((await owner.patients.byId({ id: mergeId })).mergedInto).toBeNull();
  });

  it("refuses a merged record: neither merged again, edited, restored nor joined", async () => {
    const [keepId, mergeId] = await twoVisitedPatients();
    await merge(keepId, mergeId);
    const gone = await owner.patients.byId({ id: mergeId });
    const again = await failure(
      owner.patients.merge({ keepId: mergeId, keepVersion: gone.version, mergeId: keepId, mergeVersion: 1 }),
    );
    expect(detailsOf<FamilyConflict>(again)).toEqual({ reason: "merged", mergedIntoId: keepId });
    const edit = await failure(owner.patients.update({ id: mergeId, version: gone.version, notes: "x" }));
    expect(detailsOf<FamilyConflict>(edit).reason).toBe("merged");
    const restore = await failure(owner.patients.restore({ id: mergeId }));
    expect(detailsOf<FamilyConflict>(restore).reason).toBe("merged");
    const kept = await owner.patients.byId({ id: keepId });
    const link = await failure(owner.patients.linkFamily({ id: keepId, version: kept.version, familyOf: mergeId }));
    expect(detailsOf<FamilyConflict>(link)).toEqual({ reason: "merged", mergedIntoId: keepId });
    expect((await owner.patients.byId({ id: mergeId })).archived).toBe(true);
  });

  it("is for owners only, and refuses bad input and unknown patients", async () => {
    const [keepId, mergeId] = await twoVisitedPatients();
    const input = { keepId, keepVersion: 1, mergeId, mergeVersion: 1 };
    expect((await failure(receptionist.patients.merge(input))).code).toBe("FORBIDDEN");
    const self = await failure(owner.patients.merge({ ...input, mergeId: keepId }));
    expect(self.code).toBe("BAD_REQUEST");
    const bad = await failure(owner.patients.merge({ ...input, keepVersion: "one" as unknown as number }));
    expect(bad.code).toBe("BAD_REQUEST");
    const missing = await failure(owner.patients.merge({ ...input, mergeId: 999_999 }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(await appointmentIds(mergeId)).not.toEqual([]);
  });
});
