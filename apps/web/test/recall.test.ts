// The front desk's recall list in the browser: a receptionist opens the Recall screen, scrolls the clinic's whole
// list (most overdue first), opens a patient's record from it and changes their recall interval (which takes them
// off the list), and downloads the list as CSV; the audit trail shows each step.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { newPage, openSignedIn, saveScreenshot, seriousAccessibilityProblems, urlParams } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { drawer, field, startEditing } from "./support/record-page.ts";

const running = runChairsideAndBrowser();

/** Clinic 1's patients due for recall, by the rule stated in SQL (clinic-rules.ts), the most overdue first. */
const DUE_SQL = `
  with recall as (
    select p.id, (now() at time zone c.time_zone)::date as today,
           ((p.last_visit_at at time zone c.time_zone)::date + make_interval(months => p.recall_interval_months))::date as due
      from patient p join clinic c on c.id = p.clinic_id
     where p.clinic_id = 1 and p.archived_at is null and p.last_visit_at is not null)
  select id, (today - due) as days_overdue from recall r
   where due <= today
     and not exists (select 1 from appointment a where a.patient_id = r.id and a.starts_at > now()
                       and a.status not in ('cancelled', 'cancel_requested', 'completed', 'missed'))
   order by due, id`;

const recallRows = "#recall-grid tbody tr.recall-row";

describe("the recall list", () => {
  it("is worked by a receptionist: scrolled to its end, a record opened from it, and exported as CSV", async () => {
    const due = await running.chairside.db.sql<{ id: number; days_overdue: number }>(DUE_SQL);
    // The demo practice has a recall list longer than a page.
    expect(due.length).toBeGreaterThan(60);
    const { page } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url, "receptionist");

    await page.getByRole("navigation", { name: "Screens" }).getByRole("link", { name: "Recall" }).click();
    await page.locator('#recall-grid[aria-busy="false"]').waitFor();
    await page.locator(recallRows).first().waitFor();
    expect(urlParams(page).get("view")).toBe("recall");
    await saveScreenshot(page, "recall-list");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    // Overdue first, as the server's rule orders them, with how overdue each is.
    const first = page.locator(recallRows).first();
    expect(Number(await first.getAttribute("data-patient-id"))).toBe(due[0]?.id);
    expect(Number(await first.locator(".cell-overdue").getAttribute("data-overdue-days"))).toBe(due[0]?.days_overdue);

    // The next page is asked for while the user is still rows above the end of the loaded ones.
    const loadedBefore = await page.locator(recallRows).count();
    await page
      .locator(recallRows)
      .nth(loadedBefore - 25)
      .scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator(recallRows).count()).toBeGreaterThan(loadedBefore);

    // Scrolling on loads the next pages until the whole list is there, each patient once.
    const ids = () =>
      page.locator(recallRows).evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-patient-id"))));
    await expect
      .poll(async () => {
        await page.locator(".recall-scroll").evaluate((scroll) => {
          scroll.scrollTop = scroll.scrollHeight;
        });
        return (await ids()).length;
      })
      .toBe(due.length);
    expect(await ids()).toEqual(due.map((row) => row.id));
    await expect.poll(() => page.locator(".recall-loading").count()).toBe(0);

    // A row opens the patient's record beside the list; a longer interval there takes them off it.
    const chosen = due.at(-1)?.id as number;
    await page.locator(`${recallRows}[data-patient-id="${chosen}"]`).click();
    await drawer(page, chosen).locator(".record-view").waitFor();
    expect(urlParams(page).get("patient")).toBe(String(chosen));
    expect(await drawer(page, chosen).locator(".record-details").textContent()).toMatch(/Recallevery \d+ months · due/);
    await startEditing(page, chosen);
    await field(page, chosen, "Recall every").selectOption("24");
    await drawer(page, chosen).getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(() => drawer(page, chosen).locator(".record-details").textContent())
      .toMatch(/Recallevery 24 months · due/);
    await saveScreenshot(page, "recall-record");
    await drawer(page, chosen).getByRole("button", { name: "Close the patient record" }).click();
    await expect.poll(() => urlParams(page).get("patient")).toBeNull();
    await expect.poll(() => page.locator(`${recallRows}[data-patient-id="${chosen}"]`).count()).toBe(0);
    const stillDue = await running.chairside.db.sql<{ id: number; days_overdue: number }>(DUE_SQL);
    expect(stillDue.map((row) => row.id)).toEqual(due.slice(0, -1).map((row) => row.id));

    // The export downloads the same list as CSV.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^recall-clinic-1-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await readFile(await download.path(), "utf8");
    const records = csv.split("\r\n").filter(Boolean);
    expect(records[0]).toBe("id,last_name,first_name,email,phone,last_visit,recall_due,days_overdue,interval_months");
    expect(records.slice(1).map((record) => Number(record.split(",")[0]))).toEqual(stillDue.map((row) => row.id));
    await page.context().close();

    // The trail: every page scrolled and exported, naming its patients, under the receptionist's name.
    const trail = async () =>
      running.chairside.db.sql<{ action: string; patients: number[] }>(
        `select e.action, e.details -> 'patients' as patients from audit_entry e join staff_member s on s.id = e.staff_id
          where s.email = 'reception@chairside.test' and e.action in ('recall.list', 'recall.export') order by e.id`,
      );
    await expect
      .poll(async () => (await trail()).filter((entry) => entry.action === "recall.export").length)
      .toBe(Math.ceil(due.length / 100));
    const entries = await trail();
    // (A page may have been read more than once: a refetch is audited like any read.)
    const listed = entries.filter((entry) => entry.action === "recall.list").flatMap((entry) => entry.patients);
    expect(new Set(listed)).toEqual(new Set(due.map((row) => row.id)));
    const exported = entries.filter((entry) => entry.action === "recall.export").flatMap((entry) => entry.patients);
    expect(exported).toEqual(stillDue.map((row) => row.id));
    const [edit] = await running.chairside.db.sql<{ fields: string[] }>(
      "select details -> 'fields' as fields from audit_entry where action = 'patient.update' and patient_id = $1",
      [chosen],
    );
    expect(edit?.fields).toEqual(["recallIntervalMonths"]);
  });

  it("is for the clinic chosen by an owner, who sees every clinic's", async () => {
    const { page } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url, "owner");
    await page.getByRole("link", { name: "Recall" }).click();
    await page.locator(recallRows).first().waitFor();
    await page.getByLabel("Clinic").selectOption({ value: "2" });
    await expect.poll(() => urlParams(page).get("clinic")).toBe("2");
    await page.locator('#recall-grid[aria-busy="false"]').waitFor();
    const [{ id } = { id: 0 }] = await running.chairside.db.sql<{ id: number }>(
      DUE_SQL.replace("p.clinic_id = 1", "p.clinic_id = 2"),
    );
    await expect.poll(() => page.locator(recallRows).first().getAttribute("data-patient-id")).toBe(String(id));
    expect(await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toBe(
      "/export/recall.csv?clinicId=2",
    );
    await page.context().close();
  });
});
