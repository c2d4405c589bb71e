// Two desks (two browser contexts, each signed in): what desk B changes shows in desk A's open list without a
// reload, carried by patients.changes (server-sent events) and re-read rows.
import { describe, expect, it } from "vitest";
import { saveScreenshot } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { deskOpener, makeChange, topPatients } from "./support/desks.ts";
import { row } from "./support/record-page.ts";

const running = runChairsideAndBrowser();
const openDesk = deskOpener(() => running);
const patients = topPatients(() => running.chairside.db);

/** The last name desk A shows in a patient's row (empty when the row is not there). */
const shownText = async (page: Awaited<ReturnType<typeof openDesk>>, id: number) =>
  (await row(page, id).count()) ? ((await row(page, id).textContent()) ?? "") : "";

describe("another desk's change", () => {
  it("reaches an open list: an edit, an archive, a restore", async () => {
    const { patientId, name } = await patients.next({ status: "active", archived: false });
    const deskA = await openDesk("/");
    expect(await shownText(deskA, patientId)).toContain(name);

    const deskB = await openDesk(`/?patient=${patientId}`);
    await makeChange(deskB, "edit", patientId, name);
    // The edit renamed them to Zz…, which sorts them far past the rows desk A has loaded.
    await expect.poll(() => row(deskA, patientId).count()).toBe(0);

    await running.chairside.db.sql("update patient set last_name = $1 where id = $2", [name, patientId]);
    await expect.poll(() => shownText(deskA, patientId)).toContain(name);

    await makeChange(deskB, "archive", patientId, name);
    await expect.poll(() => row(deskA, patientId).count()).toBe(0);
    await makeChange(deskB, "restore", patientId, name);
    await expect.poll(() => shownText(deskA, patientId)).toContain(name);
    await saveScreenshot(deskA, "live-desk-a");
    await Promise.all([deskA.context().close(), deskB.context().close()]);
  });

  it("reaches an open list: a completed visit moves the patient out of Inactive and into Active", async () => {
    const { patientId, name } = await patients.next({ status: "inactive", archived: false, visit: "begun" });
    const inactive = await openDesk("/?status=inactive");
    const active = await openDesk("/?status=active");
    expect(await shownText(inactive, patientId)).toContain(name);
    expect(await row(active, patientId).count()).toBe(0);

    const deskB = await openDesk(`/?patient=${patientId}`);
    await makeChange(deskB, "complete a visit", patientId, name);
    await expect.poll(() => row(inactive, patientId).count()).toBe(0);
    await expect.poll(() => shownText(active, patientId)).toContain("Active");
    await Promise.all([inactive.context().close(), active.context().close(), deskB.context().close()]);
  });

  it("reaches an open list: a new patient in view appears, and the counts follow", async () => {
    const deskA = await openDesk("/?status=new");
    const before = Number((await deskA.getByTestId("count-new").textContent())?.replace(/\D/g, ""));
    const deskB = await openDesk("/");
    const name = patients.nextName();
    await makeChange(deskB, "create", null, name);
    const created = Number(new URL(deskB.url()).searchParams.get("patient"));
    await expect.poll(() => shownText(deskA, created)).toContain(name);
    await expect
      .poll(async () => Number((await deskA.getByTestId("count-new").textContent())?.replace(/\D/g, "")))
      .toBe(before + 1);
    await Promise.all([deskA.context().close(), deskB.context().close()]);
  });
});
