// Past one machine, with the real parts: two server processes behind no particular load balancer, a primary and a
// streaming replica made from the embedded PostgreSQL's binaries, PgBouncer (transaction mode) in front of the
// primary. A member of staff's browser calls whichever instance; what decides security is shared, reads go to the
// replica except a caller's own fresh writes, and outages of either database cost no read and lose no write.
import { query } from "@chairside/db/replication";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../../../packages/client/src/index.ts";
import { followChanges } from "./event-stream.ts";
import { ACCOUNTS, DEMO_PASSWORD } from "./harness.ts";
import { eventually } from "./second-instance.ts";
import {
  type Answer,
  Browser,
  type Deployment,
  type Instance,
  readinessOf,
  startDeployment,
} from "./several-instances.ts";

let deployment: Deployment;
let A: Instance;
let B: Instance;

beforeAll(async () => {
  deployment = await startDeployment({ instances: 2, patients: 60, replicaMaxLagMs: 3_000 });
  [A, B] = deployment.instances as [Instance, Instance];
}, 180_000);
afterAll(async () => {
  await deployment?.close();
});

interface Record {
  id: number;
  firstName: string;
  version: number;
}
type Page = { items: { id: number; firstName: string }[] };

const onPrimary = <Row extends object>(text: string, values: unknown[]) =>
  query<Row & { [column: string]: unknown }>(deployment.primaryUrl, text, values);
const refused = (answer: Answer) => answer.code === "UNAUTHORIZED";
const signedIn = async (server: Instance, email: string) => {
  const browser = new Browser();
  const answer = await browser.signIn(server, email);
  if (answer.status !== 200) throw new Error(`cannot sign in as ${email}: ${answer.code}`);
  return browser;
};
const replicaReads = async (server: Instance) =>
  (await readinessOf(server)).databases.find((database) => database.role === "replica")?.reads ?? 0;

describe("sessions across instances", () => {
  it("a sign-out on one instance is refused on the other within a second", async () => {
    const receptionist = await signedIn(A, ACCOUNTS.receptionist);
    expect((await receptionist.query(B, "auth.me")).status).toBe(200); // B has the session cached now
    const keptCookie = receptionist.copy();
    expect((await receptionist.mutate(A, "auth.logout")).status).toBe(200);
    await eventually("B refuses the session signed out on A", async () =>
      refused(await keptCookie.query(B, "auth.me")),
    );
  });

  it("an archived staff member is refused on every instance within a second", async () => {
    const dentist = await signedIn(B, ACCOUNTS.dentist);
    for (const server of [A, B]) expect((await dentist.query(server, "auth.me")).status).toBe(200);
    await onPrimary("update staff_member set archived = true where email = $1", [ACCOUNTS.dentist]);
    try {
      for (const server of [A, B]) {
        await eventually("an archived staff member is refused", async () =>
          refused(await dentist.query(server, "auth.me")),
        );
      }
    } finally {
      await onPrimary("update staff_member set archived = false where email = $1", [ACCOUNTS.dentist]);
    }
  });
});

describe("the sign-in limits", () => {
  it("hold across both instances together", async () => {
    // Five failures on one account from one address (DEFAULT_LOGIN_LIMITS), spread over A and B.
    const guesser = new Browser();
    const guesses: (string | null)[] = [];
    for (const server of [A, B, A, B, A])
      guesses.push((await guesser.signIn(server, "guessed@chairside.test", "guess")).code);
    expect(guesses).toEqual(Array.from({ length: 5 }, () => "UNAUTHORIZED"));
    for (const server of [B, A]) {
      expect((await guesser.signIn(server, "guessed@chairside.test", "guess")).code).toBe("TOO_MANY_REQUESTS");
    }
  });
});

describe("reads on the replica, and a caller's own writes", () => {
  it("an edit through A is seen through B on the very next read while the replica lags; others read the replica", async () => {
    const receptionist = await signedIn(A, ACCOUNTS.receptionist);
    const owner = await signedIn(B, ACCOUNTS.owner);
    const [patient] = (await owner.query<Page>(B, "patients.list", { limit: 1, clinicId: 1 })).data.items;
    if (!patient) throw new Error("no patient at clinic 1");
    await deployment.cluster.replica.caughtUp();
    const before = (await receptionist.query<Record>(B, "patients.byId", { id: patient.id })).data;

    await deployment.cluster.replica.pauseReplay();
    try {
      const saved = await receptionist.mutate(A, "patients.update", {
        id: patient.id,
        version: before.version,
        firstName: "Replayed",
      });
      expect(saved.status).toBe(200);
      // Her very next reads, on the other instance: the primary, since the replica has not replayed her edit.
      expect((await receptionist.query<Record>(B, "patients.byId", { id: patient.id })).data.firstName).toBe(
        "Replayed",
      );
      const page = await receptionist.query<Page>(B, "patients.list", { limit: 100, clinicId: 1 });
      expect(page.data.items.find((item) => item.id === patient.id)?.firstName).toBe("Replayed");
      // The owner wrote nothing since: B serves her from the replica, which does not have the edit yet.
      const readsBefore = await replicaReads(B);
      expect((await owner.query<Record>(B, "patients.byId", { id: patient.id })).data.firstName).toBe(before.firstName);
      expect(await replicaReads(B)).toBeGreaterThan(readsBefore);

      // Lagging past the bound (3 s here), the replica is skipped: everyone reads the primary.
      await eventually(
        "B sees the replica lagging",
        async () => (await readinessOf(B)).databases.some((db) => db.role === "replica" && db.status === "lagging"),
        10_000,
      );
      expect((await owner.query<Record>(B, "patients.byId", { id: patient.id })).data.firstName).toBe("Replayed");
    } finally {
      await deployment.cluster.replica.resumeReplay();
    }
    await eventually(
      "the replica serves again once it has caught up",
      async () => (await readinessOf(B)).databases.every((db) => db.status === "up"),
      10_000,
    );
  });
});

describe("live lists across instances", () => {
  it("a change made through A reaches a list following on B, whose re-read shows it while the replica lags", async () => {
    const receptionist = await signedIn(A, ACCOUNTS.receptionist);
    const { token } = await signIn({ url: B.url, email: ACCOUNTS.owner, password: DEMO_PASSWORD });
    const [patient] = (await receptionist.query<Page>(A, "patients.list", { limit: 1, clinicId: 1 })).data.items;
    if (!patient) throw new Error("no patient at clinic 1");
    const before = (await receptionist.query<Record>(A, "patients.byId", { id: patient.id })).data;
    const stream = await followChanges(B.url, token);
    expect((await stream.next())?.data).toEqual({ kind: "following" });

    await deployment.cluster.replica.caughtUp();
    await deployment.cluster.replica.pauseReplay();
    try {
      await receptionist.mutate(A, "patients.update", { id: patient.id, version: before.version, firstName: "Live" });
      expect((await stream.next())?.data).toEqual({ kind: "changed", patientId: patient.id, clinicId: 1 });
      // The owner wrote nothing, yet the rows the announcement names are read where it was committed.
      const input = encodeURIComponent(JSON.stringify({ json: { ids: [patient.id] } }));
      const rows = await fetch(`${B.url}/trpc/patients.rows?input=${input}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await rows.json()) as { result: { data: { json: { firstName: string }[] } } };
      expect(body.result.data.json.map((row) => row.firstName)).toEqual(["Live"]);
    } finally {
      stream.close();
      await deployment.cluster.replica.resumeReplay();
      // The next test reads through the replica what this one wrote: leave it caught up.
      await deployment.cluster.replica.caughtUp();
    }
  });
});

describe("a service on @chairside/client", () => {
  it("sees its own edit on its next read, served by another instance, while the replica lags", async () => {
    // A load balancer that sends the service's reads to B and its writes to A.
    const balancer: typeof fetch = (input, init) => {
      const target = new URL(input instanceof Request ? input.url : String(input));
      if ((init?.method ?? "GET") === "GET") target.host = new URL(B.url).host;
      return fetch(target, init);
    };
    const { client } = await signIn({
      url: A.url,
      email: ACCOUNTS.receptionist,
      password: DEMO_PASSWORD,
      fetch: balancer,
    });
    const [patient] = (await client.patients.list.query({ limit: 1, clinicId: 1 })).items;
    if (!patient) throw new Error("no patient at clinic 1");
    const before = await client.patients.byId.query({ id: patient.id });
    await deployment.cluster.replica.caughtUp();
    await deployment.cluster.replica.pauseReplay();
    try {
      await client.patients.update.mutate({ id: patient.id, version: before.version, lastName: "Sent-Back" });
      expect((await client.patients.byId.query({ id: patient.id })).lastName).toBe("Sent-Back");
    } finally {
      await deployment.cluster.replica.resumeReplay();
    }
  });
});

describe("outages", () => {
  /** Reads of every kind by `browser`, in turn on A and B, until `until` resolves; every answer's status. */
  async function readWhile(browser: Browser, until: Promise<unknown>): Promise<Answer[]> {
    const answers: Answer[] = [];
    let done = false;
    until.finally(() => {
      done = true;
    });
    const page = (await browser.query<Page>(A, "patients.list", { limit: 5 })).data;
    const ids = page.items.map((item) => item.id);
    for (let round = 0; !done || round < 4; round++) {
      const server = round % 2 ? B : A;
      const id = ids[round % ids.length] as number;
      answers.push(
        ...(await Promise.all([
          browser.query(server, "patients.list", { limit: 10, status: round % 2 ? "active" : "all" }),
          browser.query(server, "patients.byId", { id }),
          browser.query(server, "patients.counts", {}),
          browser.query(server, "appointments.listByPatient", { patientId: id }),
        ])),
      );
    }
    return answers;
  }
  const failed = (answers: Answer[]) => answers.filter((answer) => answer.status !== 200).map((answer) => answer.code);

  it("the replica stopped mid-traffic: no read fails, and it serves again once back", async () => {
    const owner = await signedIn(A, ACCOUNTS.owner);
    await deployment.cluster.replica.caughtUp();
    const stopping = new Promise((resolve) => setTimeout(resolve, 300)).then(async () => {
      await deployment.cluster.replica.stop();
      await new Promise((resolve) => setTimeout(resolve, 700));
    });
    const answers = await readWhile(owner, stopping);
    expect(answers.length).toBeGreaterThan(20);
    expect(failed(answers)).toEqual([]);
    expect((await readinessOf(A)).databases.map((db) => db.status)).toEqual(["up", "down"]);

    await deployment.cluster.replica.start();
    await eventually(
      "A uses the replica again",
      async () => (await readinessOf(A)).databases.every((db) => db.status === "up"),
      10_000,
    );
    const readsBefore = await replicaReads(A);
    expect((await owner.query(A, "patients.counts", {})).status).toBe(200);
    expect(await replicaReads(A)).toBeGreaterThan(readsBefore);
  });

  it("the primary stopped: reads go on from the replica, writes are SERVICE_UNAVAILABLE, and none acknowledged is lost", async () => {
    const owner = await signedIn(A, ACCOUNTS.owner);
    const writer = await signedIn(B, ACCOUNTS.owner);
    const acknowledged: string[] = [];
    const refusedWrites: (string | null)[] = [];
    let writing = true;
    const writes = (async () => {
      for (let index = 0; writing; index++) {
        const lastName = `Outage${index}`;
        const answer = await writer.mutate(index % 2 ? A : B, "patients.create", {
          firstName: "Kept",
          lastName,
          clinicId: 1,
        });
        if (answer.status === 200) acknowledged.push(lastName);
        else refusedWrites.push(answer.code);
      }
    })();
    await eventually("some writes are acknowledged", async () => acknowledged.length >= 3, 10_000);
    const outageStart = new Date();
    await deployment.cluster.primary.stop();
    const replicaReadsBefore = await replicaReads(A);
    const outage = (async () => {
      await eventually("a write is refused", async () => refusedWrites.length > 0, 15_000);
      expect((await readinessOf(A)).status).toBe("degraded");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    })();
    const answers = await readWhile(owner, outage);
    expect(failed(answers)).toEqual([]);
    expect(await replicaReads(A)).toBeGreaterThan(replicaReadsBefore);
    expect(new Set(refusedWrites)).toEqual(new Set(["SERVICE_UNAVAILABLE"]));

    await deployment.cluster.primary.start();
    const acknowledgedBefore = acknowledged.length;
    await eventually("writes are acknowledged again", async () => acknowledged.length > acknowledgedBefore, 20_000);
    writing = false;
    await writes;
    expect((await readinessOf(A)).status).toBe("ready");
    const rows = await onPrimary<{ last_name: string }>(
      "select last_name from patient where first_name = 'Kept' and last_name = any($1)",
      [acknowledged],
    );
    expect(rows.map((row) => row.last_name).sort()).toEqual([...acknowledged].sort());
    // Every record read during the outage has its audit entry, written once the primary was back.
    const viewed = answers.filter((answer) => answer.path === "patients.byId").length;
    await eventually(
      "the reads of the outage are in the audit trail",
      async () => {
        const [row] = await onPrimary<{ entries: string }>(
          `select count(*) as entries from audit_entry
            where action = 'patient.view' and at >= $1 and staff_id = (select id from staff_member where email = $2)`,
          [outageStart, ACCOUNTS.owner],
        );
        return Number(row?.entries) >= viewed;
      },
      20_000,
    );
  });
});
