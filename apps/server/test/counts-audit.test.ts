// patients.counts says how many patients match a search, which is a search: it is audited like the list (its
// own action, once per request, with its filters), and stays one SQL statement per call.
import type { AuditAction } from "@chairside/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/routers/root.ts";
import { createContextInner } from "../src/trpc/context.ts";
import { createCallerFactory } from "../src/trpc/trpc.ts";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "./harness.ts";

let api: TestApi;
beforeAll(async () => {
  // Read entries reach the database when a test says `flush()`.
  api = await createTestApi({ patients: 60, audit: { flushIntervalMs: 600_000 } });
});
afterAll(() => api.close());

interface EntryRow {
  action: AuditAction;
  staff_id: number | null;
  clinic_id: number | null;
  patient_id: number | null;
  details: Record<string, unknown>;
  client_address: string;
}

async function countsEntriesOf(work: () => Promise<unknown>): Promise<EntryRow[]> {
  await api.auditWriter.flush();
  const [row] = await api.db.sql<{ id: string }>("select coalesce(max(id), 0)::text as id from audit_entry");
  await work();
  await api.auditWriter.flush();
  return api.db.sql<EntryRow>(
    "select action, staff_id, clinic_id, patient_id, details, client_address from audit_entry where id > $1::bigint order by id",
    [row?.id],
  );
}

async function receptionistFrom(clientAddress: string) {
  const signedIn = await api.services.sessions.signIn(ACCOUNTS.receptionist, DEMO_PASSWORD);
  const token = signedIn?.token as string;
  const [staff] = await api.db.sql<{ id: number }>("select id from staff_member where email = $1", [
    ACCOUNTS.receptionist,
  ]);
  const caller = createCallerFactory(appRouter)(() =>
    createContextInner({ services: api.services, token, clientAddress }),
  );
  return { caller, staffId: staff?.id };
}

describe("patients.counts", () => {
  it("writes one entry per request with its search and clinic, naming the staff member and address", async () => {
    const { caller, staffId } = await receptionistFrom("198.51.100.4");
    const entries = await countsEntriesOf(async () => {
      await caller.patients.counts({ search: "Hugo Liu", clinicId: 1 });
      await caller.patients.counts({});
    });
    expect(entries).toEqual([
      {
        action: "patient.count",
        staff_id: staffId,
        clinic_id: 1,
        patient_id: null,
        details: { search: "Hugo Liu", clinicId: 1 },
        client_address: "198.51.100.4",
      },
      {
        action: "patient.count",
        staff_id: staffId,
        clinic_id: null,
        patient_id: null,
        details: { search: null, clinicId: null },
        client_address: "198.51.100.4",
      },
    ]);
  });

  it("is found by the audit trail's filter by action", async () => {
    const owner = await api.as(ACCOUNTS.owner);
    await owner.patients.counts({ search: "garcia" });
    await api.auditWriter.flush();
    const page = await owner.audit.list({ action: "patient.count", limit: 1 });
    expect(page.items).toEqual([
      expect.objectContaining({ action: "patient.count", details: { search: "garcia", clinicId: null } }),
    ]);
  });

  it("stays one SQL statement per call, its entry and the flush included", async () => {
    const owner = await api.as(ACCOUNTS.owner);
    await owner.patients.counts({}); // the session is cached
    for (const input of [{}, { search: "an" }, { search: "an", clinicId: 2 }]) {
      api.statements.length = 0;
      await owner.patients.counts(input);
      await api.auditWriter.flush();
      expect(api.statements).toHaveLength(1);
      expect(api.statements[0]).toMatch(/^\s*select\b/i);
    }
  });
});
