import { type AuditAction, ChairsideError, type StaleAlertConflict } from "@chairside/db";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import { ACCOUNTS, type Caller, createTestApi, failure, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
let receptionist: Caller;
let dentist: Caller;
const staffIds = { owner: 0, receptionist: 0, dentist: 0 };

beforeAll(async () => {
  // No timer flushes: read entries reach the database when a test says `flush()`.
  api = await createTestApi({ patients: 60, audit: { flushIntervalMs: 600_000 } });
  [owner, receptionist, dentist] = await Promise.all([
    api.as(ACCOUNTS.owner),
    api.as(ACCOUNTS.receptionist),
    api.as(ACCOUNTS.dentist),
  ]);
  for (const role of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) {
    const [row] = await api.db.sql<{ id: number }>("select id from staff_member where email = $1", [ACCOUNTS[role]]);
    staffIds[role] = (row as { id: number }).id;
  }
});
afterAll(() => api.close());

let nextPatient = 0;
/** A patient of `clinicId` no other test of this file has touched, with no alerts. */
async function freshPatient(clinicId = 1): Promise<number> {
  const [row] = await api.db.sql<{ id: number }>(
    "select id from patient where clinic_id = $1 and archived_at is null order by id offset $2 limit 1",
    [clinicId, nextPatient++],
  );
  if (!row) throw new Error(`no patient left at clinic ${clinicId}`);
  await api.db.sql("delete from medical_alert where patient_id = $1", [row.id]);
  return row.id;
}

interface AlertRow {
  id: number;
  patient_id: number;
  kind: string;
  text: string;
  noted_by_id: number;
  replaces_id: number | null;
  removed_at: Date | null;
  removed_by_id: number | null;
}
const rowsOfPatient = (patientId: number) =>
  api.db.sql<AlertRow>(
    "select id, patient_id, kind, text, noted_by_id, replaces_id, removed_at, removed_by_id from medical_alert where patient_id = $1 order by id",
    [patientId],
  );

/** What the calls in `work` wrote to the trail (read entries included: the buffer is flushed first). */
async function entriesOf(work: () => Promise<unknown>) {
  await api.auditWriter.flush();
  const [mark] = await api.db.sql<{ id: string }>("select coalesce(max(id), 0)::text as id from audit_entry");
  await work();
  await api.auditWriter.flush();
  return api.db.sql<{
    action: AuditAction;
    staff_id: number;
    patient_id: number;
    clinic_id: number;
    details: Record<string, unknown>;
  }>("select action, staff_id, patient_id, clinic_id, details from audit_entry where id > $1::bigint order by id", [
    mark?.id,
  ]);
}

function fieldErrorsOf(error: { code: string; cause?: unknown }): string[] {
  expect(error.code).toBe("BAD_REQUEST");
  expect(error.cause).toBeInstanceOf(ZodError);
  return Object.keys(z.flattenError(error.cause as ZodError).fieldErrors).sort();
}

describe("alerts.add", () => {
  it("notes an alert by the signed-in staff member and answers with the patient's alerts and list row", async () => {
    const patientId = await freshPatient();
    const saved = await receptionist.alerts.add({ patientId, kind: "allergy", text: "  Penicillin  " });
    expect(saved.alerts).toEqual([
      {
        id: expect.any(Number),
        kind: "allergy",
        text: "Penicillin",
        notedAt: expect.any(Date),
        notedBy: { id: staffIds.receptionist, name: "Sofía Ramírez" },
      },
    ]);
    expect(saved.row).toMatchObject({ id: patientId, alertKinds: ["allergy"] });
    expect((await owner.patients.byId({ id: patientId })).alerts).toEqual(saved.alerts);
  });

  it("is for dentists too: whoever learns of an allergy notes it", async () => {
    const patientId = await freshPatient();
    const saved = await dentist.alerts.add({
      patientId,
      kind: "premedication",
      text: "Amoxicillin 2 g before treatment",
    });
    expect(saved.alerts[0]?.notedBy.id).toBe(staffIds.dentist);
  });

  it("refuses bad input with the fields' issues, and writes nothing", async () => {
    const patientId = await freshPatient();
    const refused = await failure(
      // @ts-expect-error: a kind that does not exist
      receptionist.alerts.add({ patientId, kind: "rumour", text: "   " }),
    );
    expect(fieldErrorsOf(refused)).toEqual(["kind", "text"]);
    for (const text of ["x".repeat(201), "Latex\u0000", "Latex\udfff", "two\nlines", "\u200b\u3164"]) {
      expect(fieldErrorsOf(await failure(receptionist.alerts.add({ patientId, kind: "allergy", text })))).toEqual([
        "text",
      ]);
    }
    expect(
      fieldErrorsOf(await failure(receptionist.alerts.add({ patientId: 0, kind: "allergy", text: "Latex" }))),
    ).toEqual(["patientId"]);
    expect(await rowsOfPatient(patientId)).toEqual([]);
  });

  it("keeps text up to its bound", async () => {
    const patientId = await freshPatient();
    const saved = await receptionist.alerts.add({ patientId, kind: "condition", text: "y".repeat(200) });
    expect(saved.alerts[0]?.text).toHaveLength(200);
  });
});

describe("another clinic's patient", () => {
  it("is NOT_FOUND to add, correct or remove an alert of, and nothing is written; the owner reaches it", async () => {
    const patientId = await freshPatient(2);
    const added = await owner.alerts.add({ patientId, kind: "allergy", text: "Latex" });
    const alertId = added.alerts[0]?.id as number;
    for (const caller of [receptionist, dentist]) {
      expect((await failure(caller.alerts.add({ patientId, kind: "allergy", text: "Latex" }))).code).toBe("NOT_FOUND");
      expect((await failure(caller.alerts.update({ id: alertId, text: "Latex gloves" }))).code).toBe("NOT_FOUND");
      expect((await failure(caller.alerts.remove({ id: alertId }))).code).toBe("NOT_FOUND");
    }
    expect(await rowsOfPatient(patientId)).toMatchObject([{ id: alertId, text: "Latex", removed_at: null }]);
  });

  it("is NOT_FOUND like an alert that does not exist", async () => {
    expect((await failure(receptionist.alerts.update({ id: 2_000_000_000, text: "x" }))).code).toBe("NOT_FOUND");
    expect((await failure(receptionist.alerts.remove({ id: 2_000_000_000 }))).code).toBe("NOT_FOUND");
    expect(
      (await failure(receptionist.alerts.add({ patientId: 2_000_000_000, kind: "allergy", text: "x" }))).code,
    ).toBe("NOT_FOUND");
  });
});

describe("alerts.update", () => {
  it("corrects an alert: the old one is kept, removed, and its successor replaces it", async () => {
    const patientId = await freshPatient();
    const added = await receptionist.alerts.add({ patientId, kind: "allergy", text: "Penicilin" });
    const first = added.alerts[0]?.id as number;
    const saved = await dentist.alerts.update({ id: first, text: "Penicillin (rash)" });
    expect(saved.alerts).toMatchObject([
      { kind: "allergy", text: "Penicillin (rash)", notedBy: { id: staffIds.dentist } },
    ]);
    const successor = saved.alerts[0]?.id as number;
    expect(successor).not.toBe(first);
    expect(await rowsOfPatient(patientId)).toMatchObject([
      {
        id: first,
        text: "Penicilin",
        noted_by_id: staffIds.receptionist,
        removed_at: expect.any(Date),
        removed_by_id: staffIds.dentist,
      },
      { id: successor, text: "Penicillin (rash)", noted_by_id: staffIds.dentist, replaces_id: first, removed_at: null },
    ]);
  });

  it("changes the kind, and the list row's badge with it", async () => {
    const patientId = await freshPatient();
    const added = await receptionist.alerts.add({ patientId, kind: "condition", text: "Latex" });
    const saved = await receptionist.alerts.update({ id: added.alerts[0]?.id as number, kind: "allergy" });
    expect(saved.row.alertKinds).toEqual(["allergy"]);
  });

  it("refuses a stale edit (the alert was corrected since) with the current alerts, and writes nothing", async () => {
    const patientId = await freshPatient();
    const added = await receptionist.alerts.add({ patientId, kind: "allergy", text: "Latex" });
    const read = added.alerts[0]?.id as number;
    const theirs = await owner.alerts.update({ id: read, text: "Latex (anaphylaxis)" });
    const before = await rowsOfPatient(patientId);

    const refused = await failure(receptionist.alerts.update({ id: read, text: "Latex, mild" }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.cause).toBeInstanceOf(ChairsideError);
    expect((refused.cause as ChairsideError<StaleAlertConflict>).details).toEqual({
      reason: "stale",
      current: theirs.alerts,
    });
    expect(await rowsOfPatient(patientId)).toEqual(before);
    // A removed alert cannot be corrected either.
    await owner.alerts.remove({ id: theirs.alerts[0]?.id as number });
    expect((await failure(receptionist.alerts.update({ id: theirs.alerts[0]?.id as number, text: "x" }))).code).toBe(
      "CONFLICT",
    );
  });

  it("of two simultaneous corrections of one alert, keeps exactly one", async () => {
    const patientId = await freshPatient();
    const added = await receptionist.alerts.add({ patientId, kind: "condition", text: "Diabetes" });
    const id = added.alerts[0]?.id as number;
    const outcomes = await Promise.allSettled([
      receptionist.alerts.update({ id, text: "Type 1 diabetes" }),
      owner.alerts.update({ id, text: "Type 2 diabetes" }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    const current = (await rowsOfPatient(patientId)).filter((row) => row.removed_at === null);
    expect(current).toHaveLength(1);
    expect(current[0]?.replaces_id).toBe(id);
  });

  it("sending what the alert already says changes nothing", async () => {
    const patientId = await freshPatient();
    const added = await receptionist.alerts.add({ patientId, kind: "allergy", text: "Latex" });
    const saved = await receptionist.alerts.update({
      id: added.alerts[0]?.id as number,
      kind: "allergy",
      text: "Latex ",
    });
    expect(saved.alerts).toEqual(added.alerts);
    expect(await rowsOfPatient(patientId)).toHaveLength(1);
  });
});

describe("alerts.remove", () => {
  it("takes the alert off the record and the badge, and keeps it with when and by whom", async () => {
    const patientId = await freshPatient();
    await receptionist.alerts.add({ patientId, kind: "allergy", text: "Latex" });
    const both = await receptionist.alerts.add({ patientId, kind: "condition", text: "Asthma" });
    expect(both.row.alertKinds).toEqual(["allergy", "condition"]);
    const latex = both.alerts.find((alert) => alert.text === "Latex")?.id as number;

    const saved = await dentist.alerts.remove({ id: latex });
    expect(saved.alerts.map((alert) => alert.text)).toEqual(["Asthma"]);
    expect(saved.row.alertKinds).toEqual(["condition"]);
    expect((await receptionist.patients.byId({ id: patientId })).alerts.map((alert) => alert.text)).toEqual(["Asthma"]);
    expect((await rowsOfPatient(patientId)).find((row) => row.id === latex)).toMatchObject({
      text: "Latex",
      removed_at: expect.any(Date),
      removed_by_id: staffIds.dentist,
    });
  });

  it("removing a removed alert changes nothing; removing one corrected since is a CONFLICT", async () => {
    const patientId = await freshPatient();
    const added = await receptionist.alerts.add({ patientId, kind: "allergy", text: "Latex" });
    const id = added.alerts[0]?.id as number;
    await receptionist.alerts.remove({ id });
    const [removed] = await rowsOfPatient(patientId);
    await owner.alerts.remove({ id });
    expect(await rowsOfPatient(patientId)).toEqual([removed]);

    const other = await receptionist.alerts.add({ patientId, kind: "condition", text: "Asthma" });
    const otherId = other.alerts[0]?.id as number;
    await owner.alerts.update({ id: otherId, text: "Severe asthma" });
    expect((await failure(receptionist.alerts.remove({ id: otherId }))).code).toBe("CONFLICT");
    expect((await owner.patients.byId({ id: patientId })).alerts.map((alert) => alert.text)).toEqual(["Severe asthma"]);
  });
});

describe("a correction and a removal of one alert at once", () => {
  /** Holds the alert's row lock while `calls` start one after the other, each queued behind the lock (in that
   *  order) before the next starts; then lets them run, in the order they queued. */
  async function queuedBehindLock(alertId: number, calls: (() => Promise<unknown>)[]) {
    const holder = new pg.Client({ connectionString: api.db.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("select id from medical_alert where id = $1 for update", [alertId]);
      const running: Promise<unknown>[] = [];
      for (const call of calls) {
        running.push(call());
        await expect
          .poll(async () => {
            const [row] = await api.db.sql<{ waiting: string }>(
              `select count(*) as waiting from pg_stat_activity
               where datname = current_database() and wait_event_type = 'Lock' and query like '%medical_alert%'`,
            );
            return Number(row?.waiting);
          })
          .toBe(running.length);
      }
      await holder.query("commit");
      return await Promise.allSettled(running);
    } finally {
      await holder.end();
    }
  }

  it("refuses the removal when the correction got there first: it removes what the caller never saw", async () => {
    const patientId = await freshPatient();
    const added = await receptionist.alerts.add({ patientId, kind: "allergy", text: "Latex" });
    const id = added.alerts[0]?.id as number;
    const [corrected, removed] = await queuedBehindLock(id, [
      () => owner.alerts.update({ id, text: "Latex (anaphylaxis)" }),
      () => receptionist.alerts.remove({ id }),
    ]);
    expect(corrected?.status).toBe("fulfilled");
    expect(removed?.status).toBe("rejected");
    expect(((removed as PromiseRejectedResult).reason as { code: string }).code).toBe("CONFLICT");
    expect((await owner.patients.byId({ id: patientId })).alerts.map((alert) => alert.text)).toEqual([
      "Latex (anaphylaxis)",
    ]);
  });

  it("refuses the correction when the removal got there first", async () => {
    const patientId = await freshPatient();
    const added = await receptionist.alerts.add({ patientId, kind: "allergy", text: "Latex" });
    const id = added.alerts[0]?.id as number;
    const [removed, corrected] = await queuedBehindLock(id, [
      () => receptionist.alerts.remove({ id }),
      () => owner.alerts.update({ id, text: "Latex (anaphylaxis)" }),
    ]);
    expect(removed?.status).toBe("fulfilled");
    expect(((corrected as PromiseRejectedResult).reason as { code: string }).code).toBe("CONFLICT");
    expect((await owner.patients.byId({ id: patientId })).alerts).toEqual([]);
  });
});

describe("the audit trail", () => {
  it("records each change with the alert and its kind or fields, never its text, in the change's transaction", async () => {
    const patientId = await freshPatient();
    let added = 0;
    let corrected = 0;
    const entries = await entriesOf(async () => {
      added = (await receptionist.alerts.add({ patientId, kind: "allergy", text: "Penicillin" })).alerts[0]
        ?.id as number;
      // A form sends every field: the entry names the ones that changed.
      const correction = { id: added, kind: "allergy", text: "Penicillin (hives)" } as const;
      corrected = (await receptionist.alerts.update(correction)).alerts[0]?.id as number;
      await receptionist.alerts.remove({ id: corrected });
    });
    const who = { staff_id: staffIds.receptionist, patient_id: patientId, clinic_id: 1 };
    expect(entries).toEqual([
      { action: "alert.add", ...who, details: { alertId: added, kind: "allergy" } },
      { action: "alert.update", ...who, details: { alertId: corrected, replaces: added, fields: ["text"] } },
      { action: "alert.remove", ...who, details: { alertId: corrected } },
    ]);
    expect(JSON.stringify(entries)).not.toContain("Penicillin");
  });

  it("records every read of the alerts: the record's view and the list's", async () => {
    const patientId = await freshPatient();
    await receptionist.alerts.add({ patientId, kind: "allergy", text: "Latex" });
    const entries = await entriesOf(async () => {
      await receptionist.patients.byId({ id: patientId });
      await receptionist.patients.list({ limit: 5 });
    });
    expect(entries.map((entry) => [entry.action, entry.patient_id ?? null])).toEqual([
      ["patient.view", patientId],
      ["patient.list", null],
    ]);
  });

  it("writes nothing for a refused change (bad input, another clinic, a stale edit)", async () => {
    const patientId = await freshPatient();
    const elsewhere = await freshPatient(2);
    const added = await receptionist.alerts.add({ patientId, kind: "allergy", text: "Latex" });
    await receptionist.alerts.update({ id: added.alerts[0]?.id as number, text: "Latex gloves" });
    const entries = await entriesOf(async () => {
      await failure(receptionist.alerts.add({ patientId, kind: "allergy", text: "" }));
      await failure(receptionist.alerts.add({ patientId: elsewhere, kind: "allergy", text: "Latex" }));
      await failure(receptionist.alerts.update({ id: added.alerts[0]?.id as number, text: "Latex, mild" }));
    });
    expect(entries).toEqual([]);
  });
});
