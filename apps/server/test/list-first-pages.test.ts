// A first page asked again reuses its compiled query (packages/db/src/patients/list.ts): it must still read what
// the database holds now, for whoever asks, on the day it is asked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type Caller, createTestApi, type TestApi } from "./harness.ts";

let api: TestApi;
let owner: Caller;
let receptionist: Caller;

beforeAll(async () => {
  api = await createTestApi({ patients: 120 });
  owner = await api.as(ACCOUNTS.owner);
  receptionist = await api.as(ACCOUNTS.receptionist);
});
afterAll(() => api.close());

describe("a first page asked again", () => {
  it("reads the rows as they are now, in one statement with the same values", async () => {
    const before = await owner.patients.list({ limit: 10 });
    const [first] = before.items;
    if (!first) throw new Error("the practice has patients");
    await owner.patients.archive({ id: first.id });
    api.statements.length = 0;
    api.values.length = 0;
    const after = await owner.patients.list({ limit: 10 });
    expect(api.statements).toHaveLength(1);
    expect(after.items.map((row) => row.id)).not.toContain(first.id);
    expect(after.items.slice(0, 9).map((row) => row.id)).toEqual(before.items.slice(1).map((row) => row.id));
    await owner.patients.restore({ id: first.id });
  });

  it("is each caller's own: the same view shows a receptionist only their clinic", async () => {
    const everyone = await owner.patients.list({ limit: 100, status: "active" });
    const theirs = await receptionist.patients.list({ limit: 100, status: "active" });
    expect(new Set(everyone.items.map((row) => row.clinicId)).size).toBeGreaterThan(1);
    expect(new Set(theirs.items.map((row) => row.clinicId))).toEqual(new Set([1]));
    expect((await owner.patients.list({ limit: 100, status: "active" })).items).toEqual(everyone.items);
  });
});
