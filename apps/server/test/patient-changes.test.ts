// patients.changes over HTTP as the SPA's httpSubscriptionLink uses it (server-sent events), and patients.rows,
// the re-read of the rows it names: scoped to the caller's clinics, replaying what a reconnect missed, refused
// without a session, audited, and never holding the server's shutdown.
import { orderOf } from "@chairside/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { followChanges as follow } from "./event-stream.ts";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, failure, type TestApi } from "./harness.ts";

let api: TestApi;
let url: string;

beforeAll(async () => {
  api = await createTestApi({ patients: 200 });
  url = await api.listen();
});
afterAll(() => api.close());

async function tokenOf(email: string): Promise<string> {
  const signedIn = await api.services.sessions.signIn(email, DEMO_PASSWORD);
  if (!signedIn) throw new Error(`cannot sign in as ${email}`);
  return signedIn.token;
}

/** A patient of a clinic, not archived. */
async function patientAt(clinicId: number, skip = 0): Promise<number> {
  const [row] = await api.db.sql<{ id: number }>(
    "select id from patient where clinic_id = $1 and archived_at is null order by id offset $2 limit 1",
    [clinicId, skip],
  );
  if (!row) throw new Error(`no patient at clinic ${clinicId}`);
  return row.id;
}

const touch = (id: number) => api.db.sql("update patient set notes = notes || '.' where id = $1", [id]);

/** Waits until this instance's feed has heard `count` more announcements than at `from`. */
async function heard(from: string, count: number): Promise<void> {
  const seq = (position: string) => Number(position.split(".")[1]);
  await expect.poll(() => seq(api.services.patientChanges.position)).toBeGreaterThanOrEqual(seq(from) + count);
}

describe("patients.changes", () => {
  it("tells a receptionist of her clinic's changed patients only, with ids and nothing else", async () => {
    const stream = await follow(url, await tokenOf(ACCOUNTS.receptionist));
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect((await stream.next())?.data).toEqual({ kind: "following" });

    const elsewhere = await patientAt(2);
    const ours = await patientAt(1);
    await touch(elsewhere);
    await touch(ours);
    const event = await stream.next();
    expect(event?.data).toEqual({ kind: "changed", patientId: ours, clinicId: 1 });
    expect(event?.id).toMatch(/\.\d+$/);
    stream.close();
  });

  it("tells the owner of every clinic's, including a visit completed (the last visit changes)", async () => {
    const stream = await follow(url, await tokenOf(ACCOUNTS.owner));
    expect((await stream.next())?.data).toEqual({ kind: "following" });
    const [visit] = await api.db.sql<{ id: number; patient_id: number; clinic_id: number }>(
      `select a.id, a.patient_id, a.clinic_id from appointment a join patient p on p.id = a.patient_id
        where a.status <> 'completed' and a.clinic_id = 3 and a.starts_at < now()
          and a.starts_at > coalesce(p.last_visit_at, '-infinity') order by a.id limit 1`,
    );
    if (!visit) throw new Error("no visit to complete");
    await api.db.sql("update appointment set status = 'completed', completed_at = now() where id = $1", [visit.id]);
    expect((await stream.next())?.data).toEqual({ kind: "changed", patientId: visit.patient_id, clinicId: 3 });
    stream.close();
  });

  it("replays what a reconnect missed from its last event id, and says so when it cannot", async () => {
    const token = await tokenOf(ACCOUNTS.owner);
    const first = await follow(url, token);
    const following = await first.next();
    first.close();
    const [a, b] = [await patientAt(1, 1), await patientAt(2, 1)];
    await touch(a);
    await touch(b);
    await heard(following?.id as string, 2);

    const again = await follow(url, token, following?.id);
    expect((await again.next())?.data).toMatchObject({ kind: "changed", patientId: a });
    expect((await again.next())?.data).toMatchObject({ kind: "changed", patientId: b });
    again.close();

    // An id of another instance (or of this one before a restart): the lists must be fetched again.
    const foreign = await follow(url, token, "elsewhere.12");
    expect((await foreign.next())?.data).toEqual({ kind: "missed" });
    foreign.close();
  });

  it("is refused without a session", async () => {
    const stream = await follow(url, null);
    // tRPC's way over SSE: the stream's one event is the error, and then it ends.
    const refusal = await stream.next();
    expect(refusal).toMatchObject({ event: "serialized-error", data: { data: { code: "UNAUTHORIZED" } } });
    expect(await stream.next()).toBeNull();
    await expect(failure(api.anonymous.patients.changes())).resolves.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("ends when the session does, telling nothing more", async () => {
    const token = await tokenOf(ACCOUNTS.receptionist);
    const stream = await follow(url, token);
    expect((await stream.next())?.data).toEqual({ kind: "following" });
    await api.services.sessions.signOut(token);
    await touch(await patientAt(1, 3));
    expect(await stream.next()).toBeNull();
  });

  it("does not hold the server's shutdown", async () => {
    const app = await buildApp({ services: api.services });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const stream = await follow(base, await tokenOf(ACCOUNTS.owner));
    expect((await stream.next())?.data).toEqual({ kind: "following" });
    await app.close();
    expect(await stream.next()).toBeNull();
  });
});

describe("patients.rows", () => {
  it("re-reads rows as the list shows them, within the caller's clinics, and audits the read", async () => {
    const [ours, elsewhere] = [await patientAt(1, 2), await patientAt(2, 2)];
    const receptionist = await api.as(ACCOUNTS.receptionist);
    const owner = await api.as(ACCOUNTS.owner);
    const rows = await receptionist.patients.rows({ ids: [ours, elsewhere] });
    expect(rows.map((row) => row.id)).toEqual([ours]);
    const [listed] = (await owner.patients.list({ clinicId: 1, limit: 100 })).items.filter((row) => row.id === ours);
    // The same row as the list shows it; a re-read carries its values for every order, a page's row for its own.
    const { sortKeys, ...shown } = rows[0] as NonNullable<(typeof rows)[0]>;
    const { order: _sent, ...inList } = listed as NonNullable<typeof listed>;
    expect(shown).toEqual(inList);
    expect(orderOf(listed as NonNullable<typeof listed>)).toEqual(sortKeys.name);

    await api.auditWriter.flush();
    const [entry] = await api.db.sql<{ action: string; details: { patientIds: number[] } }>(
      "select action, details from audit_entry where details ? 'patientIds' order by id desc limit 1",
    );
    expect(entry).toEqual({ action: "patient.list", details: expect.objectContaining({ patientIds: [ours] }) });
  });

  it("takes at most a page of distinct ids", async () => {
    const owner = await api.as(ACCOUNTS.owner);
    const tooMany = Array.from({ length: 101 }, (_, index) => index + 1);
    await expect(failure(owner.patients.rows({ ids: tooMany }))).resolves.toMatchObject({ code: "BAD_REQUEST" });
    await expect(failure(owner.patients.rows({ ids: [1, 1] }))).resolves.toMatchObject({ code: "BAD_REQUEST" });
  });
});
