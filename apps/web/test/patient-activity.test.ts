// The record's Activity section: the patient's audit trail for owners (views, edits, ...), absent for the rest
// of the staff, who never ask the API for it.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPage, saveScreenshot, seriousAccessibilityProblems } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { distinctPatients } from "./support/practice.ts";
import { drawer, field, openRecord, startEditing } from "./support/record-page.ts";

const running = runChairsideAndBrowser();

/** A patient of the first page of the default list, a different one per test. */
const aPatient = distinctPatients(() => running.chairside.db);

const activity = (page: Page, id: number) => drawer(page, id).getByRole("region", { name: "Activity" });
const entries = (page: Page, id: number) =>
  drawer(page, id).getByRole("list", { name: "Activity" }).getByRole("listitem");

/** The texts of the Activity entries, after asking for the newest (reads reach the trail in batches). */
async function refreshedEntries(page: Page, id: number): Promise<string[]> {
  const answered = page.waitForResponse((response) => decodeURIComponent(response.url()).includes("audit.list"));
  await activity(page, id).getByRole("button", { name: "Refresh the activity" }).click();
  await answered;
  await drawer(page, id).locator('section.activity[aria-busy="false"]').waitFor();
  return entries(page, id).locator(".activity-what").allTextContents();
}

describe("activity", () => {
  it("shows the owner who viewed and edited the record, naming the edited fields, newest first", async () => {
    const patient = await aPatient();
    const { page } = await newPage(running.browser);
    const auditRequests: string[] = [];
    page.on("request", (request) => {
      if (decodeURIComponent(request.url()).includes("audit.list")) auditRequests.push(request.url());
    });
    await openRecord(page, running.chairside, patient.id);
    await startEditing(page, patient.id);
    await field(page, patient.id, "Phone").fill("(212) 555-0177");
    await field(page, patient.id, "Email").fill(`activity.${patient.id}@example.test`);
    await drawer(page, patient.id).getByRole("button", { name: "Save changes" }).click();
    await drawer(page, patient.id).locator(".record-view").waitFor();

    await activity(page, patient.id).scrollIntoViewIfNeeded();
    await entries(page, patient.id).first().waitFor();
    expect(auditRequests.length).toBeGreaterThan(0);
    // The edit is written with the change itself; the view a moment later, in a batch.
    await expect.poll(() => refreshedEntries(page, patient.id)).toContain("Viewed the record");
    const texts = await entries(page, patient.id).locator(".activity-what").allTextContents();
    expect(texts).toContain("Edited: email, phone");
    expect(texts).toContain("Listed the appointments");
    expect(texts.indexOf("Edited: email, phone")).toBeLessThan(texts.lastIndexOf("Viewed the record"));

    const edit = entries(page, patient.id).filter({ hasText: "Edited: email, phone" });
    const meta = await edit.locator(".activity-meta").textContent();
    const [owner] = await running.chairside.db.sql<{ name: string }>(
      "select name from staff_member where email = 'owner@chairside.test'",
    );
    expect(meta).toContain(owner?.name);
    expect(meta).toMatch(/from \S+/);

    await activity(page, patient.id).scrollIntoViewIfNeeded();
    await saveScreenshot(page, "detail-activity");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });

  it("is absent for a receptionist, who never asks for the trail", async () => {
    // A patient of the receptionist's own clinic (the front desk sees no other).
    const [patient] = await running.chairside.db.sql<{ id: number }>(
      `select p.id from patient p
         join staff_member_clinics c on c.clinic_id = p.clinic_id
         join staff_member m on m.id = c.staff_member_id and m.email = 'reception@chairside.test'
        where p.archived_at is null order by p.last_name, p.first_name, p.id limit 1 offset 5`,
    );
    if (!patient) throw new Error("the receptionist's clinic has too few patients");
    const { page } = await newPage(running.browser);
    const auditRequests: string[] = [];
    page.on("request", (request) => {
      if (decodeURIComponent(request.url()).includes("audit.list")) auditRequests.push(request.url());
    });
    await openRecord(page, running.chairside, patient.id, "receptionist");
    const record = drawer(page, patient.id);
    await record.getByRole("region", { name: "Appointments" }).scrollIntoViewIfNeeded();
    await record.locator('section.history[aria-busy="false"]').waitFor();
    expect(await record.getByRole("heading", { name: "Activity" }).count()).toBe(0);
    expect(await record.locator("section.activity").count()).toBe(0);
    expect(auditRequests).toEqual([]);
    await page.context().close();
  });
});
