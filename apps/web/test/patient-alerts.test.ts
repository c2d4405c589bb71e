// Medical alerts in the browser: a receptionist finds a patient, sees the badge on the list row and the banner
// on the record, notes an allergy and sees it at once in both; corrects and removes one, kept in the history.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPage, openSignedIn, saveScreenshot, seriousAccessibilityProblems, waitForRows } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { drawer, openRecord, row } from "./support/record-page.ts";

const running = runChairsideAndBrowser();

interface NamedPatient {
  id: number;
  first_name: string;
  last_name: string;
}

/** A current clinic-1 patient (the receptionist's clinic) named uniquely, whose current alerts are one of each of
 *  `kinds`. */
async function patientWithAlertKinds(kinds: string[], offset = 0): Promise<NamedPatient> {
  const [patient] = await running.chairside.db.sql<NamedPatient>(
    `select p.id, p.first_name, p.last_name from patient p
      where p.clinic_id = 1 and p.archived_at is null
        and coalesce((select array_agg(a.kind order by a.kind) from medical_alert a
                       where a.patient_id = p.id and a.removed_at is null), '{}') = $1::text[]
        and (select count(*) from patient o where lower(o.first_name) = lower(p.first_name)
               and lower(o.last_name) = lower(p.last_name)) = 1
      order by p.id offset $2 limit 1`,
    [kinds, offset],
  );
  if (!patient) throw new Error(`no seeded patient with alerts ${kinds.join(", ") || "none"}`);
  return patient;
}

/** Signs in as the receptionist and finds the patient by typing their name in the search box. */
async function findAsReceptionist(patient: NamedPatient): Promise<Page> {
  const { page } = await newPage(running.browser);
  await openSignedIn(page, running.chairside.url, "receptionist");
  await page.getByPlaceholder("Search by name, email or phone").fill(`${patient.first_name} ${patient.last_name}`);
  await row(page, patient.id).waitFor();
  await waitForRows(page);
  return page;
}

const badge = (page: Page, id: number) => row(page, id).getByTestId("alert-badge");
const banner = (page: Page, id: number) => drawer(page, id).getByRole("alert");

describe("medical alerts", () => {
  it("shows the badge in the list and the banner on the record; an allergy noted there appears in both at once", async () => {
    const seeded = await patientWithAlertKinds(["condition"]);
    // A name too long for its column: it is cut short, never the badge beside it.
    const patient = { ...seeded, last_name: `${seeded.last_name}-Montgomery-Fitzwilliam-Ashworth-Beauchamp` };
    await running.chairside.db.sql("update patient set last_name = $2 where id = $1", [patient.id, patient.last_name]);
    const [condition] = await running.chairside.db.sql<{ text: string }>(
      "select text from medical_alert where patient_id = $1 and removed_at is null",
      [patient.id],
    );
    const page = await findAsReceptionist(patient);
    expect(await badge(page, patient.id).textContent()).toBe("Condition");
    expect(await badge(page, patient.id).getAttribute("aria-label")).toBe("Medical alerts: condition");
    const [cell, shown] = await Promise.all([
      row(page, patient.id).locator("td.cell-name").boundingBox(),
      badge(page, patient.id).boundingBox(),
    ]);
    expect(shown && cell && shown.x + shown.width <= cell.x + cell.width).toBe(true);

    await row(page, patient.id).locator(".patient-link").click();
    await banner(page, patient.id).waitFor();
    expect(await banner(page, patient.id).getByRole("heading").textContent()).toBe("Medical alerts");
    expect(await banner(page, patient.id).locator(".alert-line").allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^Condition${escapeRegExp(condition?.text ?? "")} noted .+ by `)),
    ]);

    let lists = 0;
    page.on("request", (request) => {
      if (request.url().includes("patients.list") || request.url().includes("patients.byId")) lists++;
    });
    await banner(page, patient.id).getByRole("button", { name: "Add alert" }).click();
    const form = drawer(page, patient.id).getByRole("form", { name: "Add alert" });
    await form.getByLabel("Kind").selectOption("allergy");
    await form.getByLabel("What it is").fill("Latex");
    await form.getByRole("button", { name: "Add alert" }).click();

    await expect
      .poll(() => banner(page, patient.id).locator(".alert-kind").allTextContents())
      .toEqual(["Allergy", "Condition"]);
    expect(await banner(page, patient.id).locator(".alert-text").first().textContent()).toBe("Latex");
    expect(await banner(page, patient.id).locator(".alert-noted").first().textContent()).toMatch(/by Sofía Ramírez$/);
    await expect.poll(() => badge(page, patient.id).textContent()).toBe("Allergy +1");
    // At once: from the answer to the write, not by fetching the list or the record again.
    expect(lists).toBe(0);
    await saveScreenshot(page, "alerts-banner");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    const saved = await running.chairside.db.sql<{ kind: string; text: string; noted_by: string }>(
      `select a.kind, a.text, s.email as noted_by from medical_alert a join staff_member s on s.id = a.noted_by_id
        where a.patient_id = $1 and a.removed_at is null and a.kind = 'allergy'`,
      [patient.id],
    );
    expect(saved).toEqual([{ kind: "allergy", text: "Latex", noted_by: "reception@chairside.test" }]);
    await page.context().close();
  });

  it("refuses an empty alert beside the field, and corrects and removes one, keeping both in the history", async () => {
    const patient = await patientWithAlertKinds([]);
    const page = await findAsReceptionist(patient);
    expect(await badge(page, patient.id).count()).toBe(0);
    await row(page, patient.id).locator(".patient-link").click();
    const record = drawer(page, patient.id);
    await record.getByText("No medical alerts recorded.").waitFor();
    expect(await banner(page, patient.id).count()).toBe(0);

    // Escape leaves an untouched form, and keeps the record open.
    await record.getByRole("button", { name: "Add alert" }).click();
    await record.getByLabel("What it is").press("Escape");
    await expect.poll(() => record.getByRole("form", { name: "Add alert" }).count()).toBe(0);
    expect(await record.count()).toBe(1);
    await record.getByRole("button", { name: "Add alert" }).click();
    const form = record.getByRole("form", { name: "Add alert" });
    await form.getByLabel("What it is").fill("Penic");
    await form.getByLabel("What it is").press("Escape");
    expect(await form.getByLabel("What it is").inputValue()).toBe("Penic");
    await form.getByLabel("What it is").fill("   ");
    await form.getByRole("button", { name: "Add alert" }).click();
    expect(await form.locator(".field-error").textContent()).toBe("Required");
    expect(await form.getByLabel("What it is").getAttribute("aria-invalid")).toBe("true");
    await saveScreenshot(page, "alerts-form");
    await form.getByLabel("What it is").fill("Penicilin");
    await form.getByRole("button", { name: "Add alert" }).click();
    await expect.poll(() => badge(page, patient.id).textContent()).toBe("Allergy");

    await banner(page, patient.id).getByRole("button", { name: "Edit alert: Penicilin" }).click();
    const edit = banner(page, patient.id).getByRole("form", { name: "Save alert" });
    await edit.getByLabel("What it is").fill("Penicillin (hives)");
    await edit.getByRole("button", { name: "Save alert" }).click();
    await expect
      .poll(() => banner(page, patient.id).locator(".alert-text").allTextContents())
      .toEqual(["Penicillin (hives)"]);

    await banner(page, patient.id).getByRole("button", { name: "Remove alert: Penicillin (hives)" }).click();
    await banner(page, patient.id).getByRole("button", { name: "Remove", exact: true }).click();
    await record.getByText("No medical alerts recorded.").waitFor();
    await expect.poll(() => badge(page, patient.id).count()).toBe(0);

    const history = await running.chairside.db.sql<{ text: string; removed: boolean; replaces: boolean }>(
      `select text, removed_at is not null as removed, replaces_id is not null as replaces from medical_alert
        where patient_id = $1 order by id`,
      [patient.id],
    );
    expect(history).toEqual([
      { text: "Penicilin", removed: true, replaces: false },
      { text: "Penicillin (hives)", removed: true, replaces: true },
    ]);
    await page.context().close();

    // The owner sees each step in the record's activity, newest first, without the alerts' text.
    const owner = await newPage(running.browser);
    await openRecord(owner.page, running.chairside, patient.id, "owner");
    await drawer(owner.page, patient.id).getByRole("region", { name: "Activity" }).scrollIntoViewIfNeeded();
    const activity = drawer(owner.page, patient.id).getByRole("list", { name: "Activity" });
    await activity.getByRole("listitem").first().waitFor();
    const steps = await activity.locator(".activity-what").allTextContents();
    expect(steps.filter((step) => step.includes("medical alert"))).toEqual([
      "Removed a medical alert",
      "Corrected a medical alert's text",
      "Noted a medical alert (allergy)",
    ]);
    await owner.context.close();
  });

  it("when someone else corrected the alert first, refuses the edit and shows the alert as it now is", async () => {
    const patient = await patientWithAlertKinds(["allergy"]);
    const [alert] = await running.chairside.db.sql<{ id: number; text: string }>(
      "select id, text from medical_alert where patient_id = $1 and removed_at is null",
      [patient.id],
    );
    const page = await findAsReceptionist(patient);
    await row(page, patient.id).locator(".patient-link").click();
    await banner(page, patient.id).waitFor();
    // Another desk corrects it meanwhile (as alerts.update does: the old one removed, its successor noted).
    await running.chairside.db.sql(
      `with old as (update medical_alert set removed_at = now(), removed_by_id = 1 where id = $1 returning *)
       insert into medical_alert (patient_id, kind, text, noted_at, noted_by_id, replaces_id)
       select patient_id, kind, 'Corrected elsewhere', now(), 1, id from old`,
      [alert?.id],
    );
    await banner(page, patient.id)
      .getByRole("button", { name: `Edit alert: ${alert?.text}` })
      .click();
    const edit = banner(page, patient.id).getByRole("form", { name: "Save alert" });
    await edit.getByLabel("What it is").fill("My own wording");
    await edit.getByRole("button", { name: "Save alert" }).click();
    await expect
      .poll(() => banner(page, patient.id).locator(".alert-text").allTextContents())
      .toEqual(["Corrected elsewhere"]);
    expect(await banner(page, patient.id).locator(".form-error").textContent()).toMatch(/someone else changed/i);
    await page.context().close();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
