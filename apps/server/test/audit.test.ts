import { connect, createServer, type Server, type Socket } from "node:net";
import { type AuditAction, AuditWriter, type AuditWriterProblem } from "@chairside/db";
import { readsOnly } from "@chairside/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/routers/root.ts";
import { AUDIT_UNAVAILABLE } from "../src/trpc/audit.ts";
import { createContextInner, type Services } from "../src/trpc/context.ts";
import { createCallerFactory } from "../src/trpc/trpc.ts";
import { ACCOUNTS, type Caller, createTestApi, DEMO_PASSWORD, failure, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
let receptionist: Caller;
let dentist: Caller;
const staffIds: Record<keyof typeof ACCOUNTS, number> = { owner: 0, receptionist: 0, dentist: 0 };

beforeAll(async () => {
  // No timer flushes during the tests: read entries reach the database when a test says `flush()`.
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

interface EntryRow {
  id: string;
  at: Date;
  action: AuditAction;
  staff_id: number | null;
  email: string | null;
  clinic_id: number | null;
  patient_id: number | null;
  details: Record<string, unknown>;
  client_address: string;
}

/** The newest entry id so far: what a test writes comes after it. */
async function lastEntryId(): Promise<string> {
  const [row] = await api.db.sql<{ id: string }>("select coalesce(max(id), 0)::text as id from audit_entry");
  return (row as { id: string }).id;
}

/** A view entry as the writer takes it, by the owner, for the writer tests. */
function viewEntry(fields: { details?: Record<string, unknown>; patientId?: number | null; at?: Date } = {}) {
  return {
    at: fields.at ?? new Date(),
    action: "patient.view" as const,
    staffId: staffIds.owner,
    email: null,
    clinicId: null,
    patientId: fields.patientId ?? null,
    details: fields.details ?? {},
    clientAddress: "127.0.0.1",
  };
}

/** Entries in the database after `since`, in the order they were written. */
async function entriesAfter(since: string): Promise<EntryRow[]> {
  return api.db.sql<EntryRow>("select * from audit_entry where id > $1::bigint order by id", [since]);
}

/** What the calls in `work` wrote to the trail (read entries included: the buffer is flushed first). */
async function entriesOf(work: () => Promise<unknown>): Promise<EntryRow[]> {
  await api.auditWriter.flush();
  const since = await lastEntryId();
  await work();
  await api.auditWriter.flush();
  return entriesAfter(since);
}

async function patientAt(clinicId: number, offset = 0): Promise<{ id: number; version: number }> {
  const [row] = await api.db.sql<{ id: number; version: number }>(
    "select id, version from patient where clinic_id = $1 and archived_at is null order by id offset $2 limit 1",
    [clinicId, offset],
  );
  if (!row) throw new Error(`no patient at clinic ${clinicId}`);
  return row;
}

/** A caller whose requests come from `clientAddress`, through `services` (by default the harness's). */
async function callerFrom(email: string, clientAddress: string, services: Services = api.services): Promise<Caller> {
  const signedIn = await api.services.sessions.signIn(email, DEMO_PASSWORD);
  if (!signedIn) throw new Error(`cannot sign in as ${email}`);
  return createCallerFactory(appRouter)(() => createContextInner({ services, token: signedIn.token, clientAddress }));
}

describe("every access to a patient writes exactly one entry", () => {
  it("patients.list: one entry per request with its filters, naming the staff member, clinic and address", async () => {
    const caller = await callerFrom(ACCOUNTS.owner, "203.0.113.7");
    const input = {
      search: "a",
      status: "active",
      clinicId: 2,
      sort: { by: "lastVisit", direction: "desc" },
      limit: 2,
    } as const;
    let nextCursor: string | null = null;
    const entries = await entriesOf(async () => {
      nextCursor = (await caller.patients.list(input)).nextCursor;
      expect(nextCursor).not.toBeNull();
      await caller.patients.list({ ...input, cursor: nextCursor });
    });
    expect(entries).toHaveLength(2);
    for (const [index, entry] of entries.entries()) {
      expect(entry).toMatchObject({
        action: "patient.list",
        staff_id: staffIds.owner,
        clinic_id: 2,
        patient_id: null,
        email: null,
        client_address: "203.0.113.7",
        details: {
          search: "a",
          status: "active",
          archived: "exclude",
          clinicId: 2,
          sort: { by: "lastVisit", direction: "desc" },
          firstPage: index === 0,
          shown: 2,
        },
      });
    }
  });

  it("the reference lists write nothing", async () => {
    const entries = await entriesOf(async () => {
      await owner.clinics.list();
      await owner.services.list();
      await owner.staff.dentists({});
      await owner.auth.me();
    });
    expect(entries).toEqual([]);
  });

  it("patients.byId: a view entry naming the patient and their clinic", async () => {
    const patient = await patientAt(1);
    const entries = await entriesOf(() => receptionist.patients.byId({ id: patient.id }));
    expect(entries).toEqual([
      expect.objectContaining({
        action: "patient.view",
        staff_id: staffIds.receptionist,
        clinic_id: 1,
        patient_id: patient.id,
        client_address: "127.0.0.1",
        details: {},
      }),
    ]);
  });

  it("a view that fails (another clinic's patient) writes nothing: nothing was seen", async () => {
    const patient = await patientAt(2);
    const entries = await entriesOf(async () => {
      expect((await failure(receptionist.patients.byId({ id: patient.id }))).code).toBe("NOT_FOUND");
    });
    expect(entries).toEqual([]);
  });

  it("patients.create, update, archive and restore: one entry each, in the change's own transaction", async () => {
    const since = await lastEntryId();
    const created = await receptionist.patients.create({ firstName: "Audit", lastName: "Trail", clinicId: 1 });
    // No flush: an edit's entry is committed with the edit.
    const updated = await receptionist.patients.update({
      id: created.id,
      version: created.version,
      phone: "+1 555 0199",
      notes: "allergic to penicillin",
    });
    await receptionist.patients.archive({ id: created.id });
    await receptionist.patients.restore({ id: created.id });
    const entries = await entriesAfter(since);
    expect(entries.map((entry) => entry.action)).toEqual([
      "patient.create",
      "patient.update",
      "patient.archive",
      "patient.restore",
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ staff_id: staffIds.receptionist, clinic_id: 1, patient_id: created.id });
    }
    expect(entries[0]?.details).toEqual({ confirmedDuplicate: false });
    // The names of the fields sent, never their values: the trail is not a copy of the record.
    expect(entries[1]?.details).toEqual({ fields: ["notes", "phone"], fromVersion: created.version });
    expect(JSON.stringify(entries)).not.toMatch(/penicillin|0199/);
    expect(updated.version).toBeGreaterThan(created.version);
  });

  it("appointments: the history as a view of the patient, booking, status changes and moves with from and to", async () => {
    const patient = await patientAt(1, 3);
    const [dentistRow] = await api.db.sql<{ id: number }>("select id from staff_member where email = $1", [
      ACCOUNTS.dentist,
    ]);
    const dentistId = (dentistRow as { id: number }).id;
    const [service] = await owner.services.list();
    const startsAt = new Date("2031-05-05T14:00:00Z");
    const movedTo = new Date("2031-05-06T15:00:00Z");
    let appointmentId = 0;
    const entries = await entriesOf(async () => {
      await receptionist.appointments.listByPatient({ patientId: patient.id, limit: 2 });
      const booked = await receptionist.appointments.create({
        patientId: patient.id,
        dentistId,
        serviceId: service?.id as number,
        startsAt,
        status: "confirmed",
      });
      appointmentId = booked.id;
      await dentist.appointments.setStatus({ id: booked.id, status: "waiting" });
      await receptionist.appointments.reschedule({ id: booked.id, startsAt: movedTo });
    });
    expect(entries.map((entry) => [entry.action, entry.staff_id, entry.patient_id, entry.clinic_id])).toEqual([
      // The writes committed with their requests; the history view waited in the buffer until the flush.
      ["appointment.create", staffIds.receptionist, patient.id, 1],
      ["appointment.status", staffIds.dentist, patient.id, 1],
      ["appointment.reschedule", staffIds.receptionist, patient.id, 1],
      ["appointment.list", staffIds.receptionist, patient.id, 1],
    ]);
    expect(entries.map((entry) => entry.details)).toEqual([
      {
        appointmentId,
        startsAt: startsAt.toISOString(),
        dentistId,
        serviceId: service?.id,
        status: "confirmed",
      },
      { appointmentId, from: "confirmed", to: "waiting" },
      {
        appointmentId,
        from: { startsAt: startsAt.toISOString(), dentistId },
        to: { startsAt: movedTo.toISOString(), dentistId },
      },
      { firstPage: true, shown: 2 },
    ]);
  });

  it("records the address a request came from over HTTP", async () => {
    const url = await api.listen();
    const signedIn = await api.services.sessions.signIn(ACCOUNTS.owner, DEMO_PASSWORD);
    const patient = await patientAt(3);
    const entries = await entriesOf(async () => {
      const input = encodeURIComponent(JSON.stringify({ json: { id: patient.id } }));
      const response = await fetch(`${url}/trpc/patients.byId?input=${input}`, {
        headers: { authorization: `Bearer ${signedIn?.token}` },
      });
      expect(response.status).toBe(200);
    });
    expect(entries).toEqual([
      expect.objectContaining({ action: "patient.view", patient_id: patient.id, client_address: "127.0.0.1" }),
    ]);
  });

  it("record() buffers an entry at once, whatever the request does next (a failed sign-in)", async () => {
    const ctx = createContextInner({ services: api.services, token: null, clientAddress: "198.51.100.4" });
    const since = await lastEntryId();
    ctx.audit.record({ action: "login.failure", email: "nobody@example.test", details: { reason: "wrong password" } });
    ctx.audit.note({ action: "login.success", email: "never@example.test" }); // noted, and the request never succeeds
    expect(await entriesAfter(since)).toEqual([]);
    await api.auditWriter.flush();
    expect(await entriesAfter(since)).toEqual([
      expect.objectContaining({
        action: "login.failure",
        staff_id: null,
        email: "nobody@example.test",
        client_address: "198.51.100.4",
        at: ctx.now,
        details: { reason: "wrong password" },
      }),
    ]);
  });
});

describe("a failed edit writes no entry and no half change", () => {
  it("a stale version is a CONFLICT: no update entry, the record as the other save left it", async () => {
    const patient = await patientAt(1, 5);
    await owner.patients.update({ id: patient.id, version: patient.version, notes: "first save" });
    const entries = await entriesOf(async () => {
      const error = await failure(owner.patients.update({ id: patient.id, version: patient.version, notes: "stale" }));
      expect(error.code).toBe("CONFLICT");
    });
    expect(entries).toEqual([]);
    expect((await owner.patients.byId({ id: patient.id })).notes).toBe("first save");
  });

  it("invalid input is a BAD_REQUEST and writes nothing", async () => {
    const patient = await patientAt(1, 6);
    const entries = await entriesOf(async () => {
      const error = await failure(owner.patients.update({ id: patient.id, version: patient.version, email: "nope" }));
      expect(error.code).toBe("BAD_REQUEST");
    });
    expect(entries).toEqual([]);
  });

  it("an edit and its entry commit together: when the entry cannot be written, the edit is rolled back too", async () => {
    const [target] = await api.db.sql<{ patient_id: number; version: number; appointment_id: number }>(
      `select p.id as patient_id, p.version, a.id as appointment_id
         from patient p join appointment a on a.patient_id = p.id and a.status = 'completed'
        where p.clinic_id = 1 and p.archived_at is null order by p.id desc, a.id limit 1`,
    );
    if (!target) throw new Error("no patient with a completed visit");
    const rowsBefore = () =>
      Promise.all([
        api.db.sql("select * from patient where id = $1", [target.patient_id]),
        api.db.sql("select * from appointment where patient_id = $1 order by id", [target.patient_id]),
      ]);
    const before = await rowsBefore();
    await api.db.sql(`create function refuse_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit entries refused for this test'; end $$`);
    await api.db.sql(
      "create trigger refuse_audit before insert on audit_entry for each row execute function refuse_audit()",
    );
    try {
      const update = await failure(
        owner.patients.update({ id: target.patient_id, version: target.version, notes: "lost" }),
      );
      // A change whose repository opens a transaction of its own (a savepoint here), and whose trigger moves
      // the patient's last visit.
      const change = await failure(owner.appointments.setStatus({ id: target.appointment_id, status: "missed" }));
      for (const error of [update, change]) {
        expect(error.code).toBe("INTERNAL_SERVER_ERROR");
        expect(String(error.cause?.message)).toMatch(/audit entries refused for this test/);
      }
    } finally {
      await api.db.sql("drop trigger refuse_audit on audit_entry");
      await api.db.sql("drop function refuse_audit()");
    }
    expect(await rowsBefore()).toEqual(before);
    // The same edit goes through once its entry can be written.
    await owner.patients.update({ id: target.patient_id, version: target.version, notes: "kept" });
    expect((await owner.patients.byId({ id: target.patient_id })).notes).toBe("kept");
  });
});

describe("read entries are buffered", () => {
  it("wait in memory and arrive in one batch once flushed", async () => {
    await api.auditWriter.flush();
    const since = await lastEntryId();
    const patient = await patientAt(1);
    await owner.patients.list({ limit: 3 });
    await owner.patients.byId({ id: patient.id });
    await owner.appointments.listByPatient({ patientId: patient.id });
    expect(await entriesAfter(since)).toEqual([]);
    expect(api.auditWriter.backlog).toBe(3);
    await api.auditWriter.flush();
    expect(api.auditWriter.backlog).toBe(0);
    expect((await entriesAfter(since)).map((entry) => entry.action)).toEqual([
      "patient.list",
      "patient.view",
      "appointment.list",
    ]);
  });

  it("patients.list still costs exactly one ORM statement, its entry and the flush included", async () => {
    await owner.patients.list({ limit: 5 }); // the session is cached
    api.statements.length = 0;
    await owner.patients.list({ limit: 5, search: "an" });
    await api.auditWriter.flush();
    expect(api.statements).toHaveLength(1);
    expect(api.statements.every(readsOnly)).toBe(true);
  });

  it("are written by the timer, without anyone flushing, in one INSERT for a batch", async () => {
    const writer = new AuditWriter({ connectionString: api.db.url, flushIntervalMs: 20 });
    try {
      const since = await lastEntryId();
      const at = new Date();
      writer.add(Array.from({ length: 3 }, (_, index) => viewEntry({ at, details: { index } })));
      const deadline = Date.now() + 5_000;
      while ((await entriesAfter(since)).length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await entriesAfter(since)).map((entry) => entry.details)).toEqual([
        { index: 0 },
        { index: 1 },
        { index: 2 },
      ]);
      expect(writer.report).toEqual({ written: 3, unwritten: 0, refused: 0 });
    } finally {
      await writer.close();
    }
  });
  it("entries that arrive while a batch is being written wait for their own interval, not one INSERT each", async () => {
    // Under load, a write that also took every entry arriving during it would write a few entries at a time,
    // one INSERT after another, however long the interval. The table is locked so that the write is in flight.
    const writer = new AuditWriter({ connectionString: api.db.url, flushIntervalMs: 600_000 });
    const locker = new pg.Client({ connectionString: api.db.url });
    await locker.connect();
    try {
      const entry = (index: number) => viewEntry({ details: { index } });
      const since = await lastEntryId();
      await locker.query("begin");
      await locker.query("lock table audit_entry in share mode");
      writer.add([entry(0), entry(1)]);
      const writing = writer.flush();
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const [waiting] = await api.db.sql<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into \"audit_entry\"%'",
        );
        if (waiting?.n) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      writer.add([entry(2)]);
      await locker.query("commit");
      await writing;
      expect((await entriesAfter(since)).map((written) => written.details)).toEqual([{ index: 0 }, { index: 1 }]);
      expect(writer.backlog).toBe(1);
      await writer.flush();
      expect((await entriesAfter(since)).map((written) => written.details)).toEqual([
        { index: 0 },
        { index: 1 },
        { index: 2 },
      ]);
    } finally {
      await locker.end();
      await writer.close();
    }
  });
});

/** A TCP relay to the test database that can be cut and restored: PostgreSQL unreachable, then back. */
async function startRelay(
  target: URL,
): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A writer through the relay, with a small backlog bound and quick retries, and what it reported. */
function writerThrough(relayPort: number, maxBacklog: number) {
  const url = new URL(api.db.url);
  url.port = String(relayPort);
  const problems: AuditWriterProblem[] = [];
  const writer = new AuditWriter({
    connectionString: url.toString(),
    maxBacklog,
    flushIntervalMs: 600_000,
    retryDelayMs: { first: 20, max: 100 },
    onProblem: (problem) => problems.push(problem),
  });
  return { writer, problems };
}

describe("when the audit trail cannot be written", () => {
  it("refuses reads past the backlog bound rather than serve them unaudited, and loses nothing once it can write", async () => {
    const relay = await startRelay(new URL(api.db.url));
    const { writer, problems } = writerThrough(relay.port, 5);
    try {
      const caller = await callerFrom(ACCOUNTS.owner, "192.0.2.9", { ...api.services, auditWriter: writer });
      const patient = await patientAt(2);
      relay.cut();
      const since = await lastEntryId();
      for (let i = 0; i < 5; i++) await caller.patients.list({ limit: 1 });
      await expect(writer.flush()).rejects.toThrow();
      expect(problems[0]).toMatchObject({ kind: "write-failed", backlog: 5 });

      for (const read of [
        () => caller.patients.list({ limit: 1 }),
        () => caller.patients.counts({}),
        () => caller.patients.byId({ id: patient.id }),
      ]) {
        const refused = await failure(read());
        expect(refused.code).toBe("SERVICE_UNAVAILABLE");
        expect(refused.message).toBe(AUDIT_UNAVAILABLE);
      }
      // What needs no buffered entry goes on: edits (entries in their own transaction).
      const edited = await caller.patients.update({ id: patient.id, version: patient.version, notes: "still saved" });
      expect(writer.backlog).toBe(5);

      relay.restore();
      await writer.flush();
      expect(writer.backlog).toBe(0);
      await caller.patients.byId({ id: patient.id });
      await writer.flush();
      const entries = await entriesAfter(since);
      expect(entries.map((entry) => entry.action).sort()).toEqual([
        "patient.list",
        "patient.list",
        "patient.list",
        "patient.list",
        "patient.list",
        "patient.update",
        "patient.view",
      ]);
      expect(entries.every((entry) => entry.client_address === "192.0.2.9")).toBe(true);
      expect(edited.notes).toBe("still saved");
    } finally {
      relay.restore();
      await writer.close();
      await relay.close();
    }
  });

  it("close() writes what is left, and says how many entries it could not", async () => {
    const relay = await startRelay(new URL(api.db.url));
    const entry = {
      at: new Date(),
      action: "logout" as const,
      staffId: staffIds.dentist,
      email: null,
      clinicId: null,
      patientId: null,
      details: {},
      clientAddress: "127.0.0.1",
    };
    try {
      const reachable = writerThrough(relay.port, 100);
      const since = await lastEntryId();
      reachable.writer.add([entry, entry]);
      expect(await reachable.writer.close()).toEqual({ written: 2, unwritten: 0, refused: 0 });
      expect(await entriesAfter(since)).toHaveLength(2);

      relay.cut();
      const unreachable = writerThrough(relay.port, 100);
      unreachable.writer.add([entry, entry, entry]);
      expect(await unreachable.writer.close({ timeoutMs: 200 })).toEqual({ written: 0, unwritten: 3, refused: 0 });
      expect(unreachable.problems.length).toBeGreaterThan(0);
      expect(() => unreachable.writer.add([entry])).toThrow(/closed/);
    } finally {
      await relay.close();
    }
  });

  it("an entry the database refuses (its patient does not exist) is reported, and the rest of its batch is written", async () => {
    const problems: AuditWriterProblem[] = [];
    const writer = new AuditWriter({
      connectionString: api.db.url,
      flushIntervalMs: 600_000,
      onProblem: (problem) => problems.push(problem),
    });
    const at = new Date();
    const entry = (patientId: number) => viewEntry({ at, patientId });
    try {
      const patient = await patientAt(3);
      const since = await lastEntryId();
      writer.add([entry(patient.id), entry(2_000_000_000), entry(patient.id)]);
      await writer.flush();
      const written = await entriesAfter(since);
      // The patient's clinic is filled in when an entry names none.
      expect(written.map((row) => [row.patient_id, row.clinic_id])).toEqual([
        [patient.id, 3],
        [patient.id, 3],
      ]);
      expect(problems).toEqual([expect.objectContaining({ kind: "entry-refused", entry: entry(2_000_000_000) })]);
      expect(writer.report).toEqual({ written: 2, unwritten: 0, refused: 1 });
    } finally {
      await writer.close();
    }
  });
});

describe("the trail is append-only", () => {
  it("UPDATE and DELETE of an entry fail at the database", async () => {
    await owner.patients.list({ limit: 1 });
    await api.auditWriter.flush();
    await expect(api.db.sql("update audit_entry set action = 'logout'")).rejects.toThrow(/append-only/);
    await expect(api.db.sql("delete from audit_entry")).rejects.toThrow(/append-only/);
    expect(Number((await api.db.sql<{ n: string }>("select count(*) as n from audit_entry"))[0]?.n)).toBeGreaterThan(0);
  });

  it("offers no procedure that changes or deletes an entry", () => {
    const auditProcedures = Object.keys(appRouter._def.procedures).filter((path) => path.startsWith("audit."));
    expect(auditProcedures).toEqual(["audit.list"]);
  });
});

describe("audit.list", () => {
  it("is for owners only", async () => {
    expect((await failure(receptionist.audit.list({}))).code).toBe("FORBIDDEN");
    expect((await failure(dentist.audit.list({}))).code).toBe("FORBIDDEN");
    expect((await failure(api.anonymous.audit.list({}))).code).toBe("UNAUTHORIZED");
  });

  it("shows each entry with its staff member, patient, clinic, details and address", async () => {
    const patient = await patientAt(1, 2);
    const entries = await entriesOf(() => receptionist.patients.byId({ id: patient.id }));
    const page = await owner.audit.list({ patientId: patient.id, limit: 1 });
    const [name] = await api.db.sql<{ first_name: string; last_name: string }>(
      "select first_name, last_name from patient where id = $1",
      [patient.id],
    );
    expect(page.items).toEqual([
      {
        id: Number(entries[0]?.id),
        at: entries[0]?.at,
        action: "patient.view",
        staff: { id: staffIds.receptionist, name: expect.any(String) },
        email: null,
        clinicId: 1,
        patient: { id: patient.id, firstName: name?.first_name, lastName: name?.last_name },
        details: {},
        clientAddress: "127.0.0.1",
      },
    ]);
  });

  it("filters by patient, staff member, action and time, newest first", async () => {
    const [first, second] = [await patientAt(1, 10), await patientAt(1, 11)];
    await api.auditWriter.flush();
    const from = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await receptionist.patients.byId({ id: first.id });
    await owner.patients.byId({ id: first.id });
    await owner.patients.byId({ id: second.id });
    await receptionist.appointments.listByPatient({ patientId: first.id });
    await receptionist.patients.list({ limit: 1 });
    await api.auditWriter.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const to = new Date();

    const rows = await api.db.sql<EntryRow>(
      "select * from audit_entry where at >= $1 and at < $2 order by at desc, id desc",
      [from, to],
    );
    expect(rows).toHaveLength(5);
    const listed = async (filters: Parameters<Caller["audit"]["list"]>[0]) =>
      (await owner.audit.list({ ...filters, from, to })).items.map((item) => item.id);
    const expected = (keep: (row: EntryRow) => boolean) => rows.filter(keep).map((row) => Number(row.id));

    expect(await listed({})).toEqual(expected(() => true));
    expect(await listed({ patientId: first.id })).toEqual(expected((row) => row.patient_id === first.id));
    expect(await listed({ staffId: staffIds.receptionist })).toEqual(
      expected((row) => row.staff_id === staffIds.receptionist),
    );
    expect(await listed({ action: "patient.view" })).toEqual(expected((row) => row.action === "patient.view"));
    expect(await listed({ patientId: first.id, staffId: staffIds.owner, action: "patient.view" })).toEqual(
      expected((row) => row.patient_id === first.id && row.staff_id === staffIds.owner),
    );
    expect(await listed({ patientId: first.id })).toHaveLength(3);
    expect((await owner.audit.list({ from: to })).items).toEqual([]);
  });

  it("pages through every entry exactly once, newest first, in one SQL statement per page", async () => {
    await api.auditWriter.flush();
    const all = await api.db.sql<{ id: string }>("select id from audit_entry order by at desc, id desc");
    expect(all.length).toBeGreaterThan(20);
    await owner.audit.list({ limit: 1 }); // the session is cached
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      api.statements.length = 0;
      const page: { items: { id: number }[]; nextCursor: string | null } = await owner.audit.list({ limit: 7, cursor });
      expect(api.statements).toHaveLength(1);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    // Pages are reads of the trail, not of patients: they add nothing to it.
    expect(seen).toEqual(all.map((row) => Number(row.id)));
  });

  it("refuses a cursor made for other filters, or altered", async () => {
    const { nextCursor } = await owner.audit.list({ limit: 1 });
    expect(nextCursor).not.toBeNull();
    expect((await failure(owner.audit.list({ action: "logout", cursor: nextCursor }))).code).toBe("BAD_REQUEST");
    expect((await failure(owner.audit.list({ cursor: `${nextCursor}x` }))).code).toBe("BAD_REQUEST");
  });
});
