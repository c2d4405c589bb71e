// Families, duplicates and merges at the desk: a child registered with a parent's email joins the parent's family
// (one click between their records), a second record of the same name and phone is warned about, and an owner
// merges two records after comparing them side by side, with the audit trail showing each step.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPage, openSignedIn, saveScreenshot, seriousAccessibilityProblems } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { drawer, openRecord } from "./support/record-page.ts";

const running = runChairsideAndBrowser();

/** A current patient of the receptionist's clinic (1) in no family, with an email and a phone. */
async function receptionPatient(offset: number) {
  const [patient] = await running.chairside.db.sql<{
    id: number;
    first_name: string;
    last_name: string;
    email: string;
    phone: string;
  }>(
    `select p.id, p.first_name, p.last_name, p.email, p.phone from patient p
      where p.clinic_id = 1 and p.archived_at is null and p.email is not null and p.phone is not null
        and p.guarantor_id is null and not exists (select from patient c where c.guarantor_id = p.id)
        and (select count(*) from patient n where n.first_name = p.first_name and n.last_name = p.last_name) = 1
      order by p.id limit 1 offset $1`,
    [offset],
  );
  if (!patient) throw new Error("too few patients at clinic 1");
  return patient;
}

const activityTexts = async (page: Page, id: number): Promise<string[]> => {
  const section = drawer(page, id).getByRole("region", { name: "Activity" });
  await section.scrollIntoViewIfNeeded();
  const answered = page.waitForResponse((response) => decodeURIComponent(response.url()).includes("audit.list"));
  await section.getByRole("button", { name: "Refresh the activity" }).click();
  await answered;
  await drawer(page, id).locator('section.activity[aria-busy="false"]').waitFor();
  return drawer(page, id).getByRole("list", { name: "Activity" }).locator(".activity-what").allTextContents();
};

async function openNewPatient(page: Page) {
  await page.getByRole("button", { name: "New patient" }).click();
  return page.getByRole("dialog", { name: "New patient" });
}

describe("families", () => {
  it("registers a child with the parent's email in the parent's family, one click from each other", async () => {
    const parent = await receptionPatient(3);
    const { page } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url, "receptionist");
    const dialog = await openNewPatient(page);
    await dialog.getByLabel("First name").fill("Lucía");
    await dialog.getByLabel("Last name").fill(parent.last_name);
    await dialog.getByLabel("Email").fill(parent.email);
    await dialog.getByLabel("Date of birth").fill("2018-05-09");
    await dialog.getByRole("button", { name: "Create patient" }).click();

    // Refused as it is, with the way out a receptionist expects: the same family as the parent.
    const warning = dialog.locator(".duplicate-warning");
    await warning.waitFor();
    expect(await warning.textContent()).toContain("This email belongs to an existing patient");
    await saveScreenshot(page, "family-email-taken");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await warning.getByRole("button", { name: `Same family as ${parent.first_name}` }).click();

    await page.waitForURL((url) => {
      const opened = Number(url.searchParams.get("patient"));
      return opened > 0 && opened !== parent.id;
    });
    const childId = Number(new URL(page.url()).searchParams.get("patient"));
    const family = drawer(page, childId).getByRole("list", { name: "Family", exact: true });
    await family.waitFor();
    expect(await family.locator("li").allTextContents()).toEqual([
      expect.stringContaining(`${parent.first_name} ${parent.last_name}Guarantor`),
      expect.stringContaining(`Lucía ${parent.last_name}`),
    ]);
    await saveScreenshot(page, "family-on-record");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    // One click to the parent's record, which shows the child.
    await family.getByRole("button", { name: `${parent.first_name} ${parent.last_name}` }).click();
    const parentFamily = drawer(page, parent.id).getByRole("list", { name: "Family", exact: true });
    await parentFamily.waitFor();
    await parentFamily.getByRole("button", { name: `Lucía ${parent.last_name}` }).click();
    await drawer(page, childId).getByRole("list", { name: "Family", exact: true }).waitFor();

    const [row] = await running.chairside.db.sql<{ guarantor_id: number; email: string; phone: string }>(
      "select guarantor_id, email, phone from patient where id = $1",
      [childId],
    );
    // The family's phone came with it.
    expect(row).toEqual({ guarantor_id: parent.id, email: parent.email, phone: parent.phone });

    // A sibling registered from the record: the family's surname, email, phone and address filled in.
    await drawer(page, childId).getByRole("button", { name: "Register a family member…" }).click();
    const sibling = page.getByRole("dialog", { name: "New patient" });
    expect(await sibling.getByLabel("Email").inputValue()).toBe(parent.email);
    expect(await sibling.getByLabel("Last name").inputValue()).toBe(parent.last_name);
    expect(await sibling.getByRole("status").textContent()).toContain(`Lucía ${parent.last_name}`);
    await sibling.getByLabel("First name").fill("Pau");
    await sibling.getByRole("button", { name: "Create patient" }).click();
    await page.waitForURL((url) => ![0, parent.id, childId].includes(Number(url.searchParams.get("patient"))));
    const siblingId = Number(new URL(page.url()).searchParams.get("patient"));
    const siblings = drawer(page, siblingId).getByRole("list", { name: "Family", exact: true });
    await siblings.waitFor();
    expect(await siblings.locator("li").count()).toBe(3);
    await page.context().close();

    // The owner's trail of the child says how it was registered.
    const owner = await newPage(running.browser);
    await openRecord(owner.page, running.chairside, childId);
    await expect
      .poll(() => activityTexts(owner.page, childId))
      .toContain(`Registered the patient in the family of #${parent.id}`);
    await owner.context.close();
  });
});

describe("duplicates", () => {
  it("warns of the same name and phone, however the phone is written, naming the record", async () => {
    const existing = await receptionPatient(5);
    const { page } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url, "receptionist");
    const dialog = await openNewPatient(page);
    await dialog.getByLabel("First name").fill(existing.first_name.toUpperCase());
    await dialog.getByLabel("Last name").fill(existing.last_name);
    await dialog.getByLabel("Phone").fill(existing.phone.replace(/\D/g, ""));
    await dialog.getByRole("button", { name: "Create patient" }).click();

    const warning = dialog.locator(".duplicate-warning");
    await warning.waitFor();
    const text = await warning.textContent();
    expect(text).toContain("This patient may already be registered");
    expect(text).toContain(`${existing.first_name} ${existing.last_name}`);
    expect(text).toContain("same name and phone");
    await saveScreenshot(page, "duplicate-name-phone");
    await warning.getByRole("button", { name: "Open this record" }).click();
    await drawer(page, existing.id).locator(".record-view").waitFor();
    const namesakes = await running.chairside.db.sql(
      "select id from patient where first_name = $1 and last_name = $2",
      [existing.first_name, existing.last_name],
    );
    expect(namesakes).toHaveLength(1);
    await page.context().close();
  });
});

describe("merging", () => {
  it("lets an owner merge two records after comparing them side by side, then opens the kept one", async () => {
    // A likely duplicate db:seed made: the same names and phone, the second without a birthday or email.
    const [pair] = await running.chairside.db.sql<{ keep: number; merge: number; name: string }>(
      `select a.id as keep, b.id as merge, a.first_name || ' ' || a.last_name as name
         from patient a join patient b on b.id > a.id and b.first_name = a.first_name and b.last_name = a.last_name
          and b.phone = a.phone and b.clinic_id = a.clinic_id and b.birthday is null and b.guarantor_id is null
        where a.archived_at is null and b.archived_at is null order by a.id limit 1`,
    );
    if (!pair) throw new Error("db:seed made no likely duplicate");
    const visits = await running.chairside.db.sql<{ id: number }>(
      "select id from appointment where patient_id in ($1, $2)",
      [pair.keep, pair.merge],
    );
    const { page } = await newPage(running.browser);
    await openRecord(page, running.chairside, pair.keep);
    const record = drawer(page, pair.keep);
    await record.getByRole("button", { name: "Merge with…" }).click();
    await record.getByLabel("Merge with").fill(pair.name);
    const match = record
      .getByRole("list", { name: "Matching patients" })
      .getByRole("listitem")
      .filter({
        hasText: `#${pair.merge}`,
      });
    await match.getByRole("button", { name: "Compare" }).click();

    const dialog = page.getByRole("dialog", { name: "Merge two records of one patient" });
    const table = dialog.getByRole("table", { name: "The two records side by side" });
    await table.locator(`th[data-record-id="${pair.merge}"]`).waitFor();
    expect(
      await table.locator("thead th[data-record-id]").evaluateAll((cells) => cells.map((c) => c.textContent)),
    ).toEqual([`Keep #${pair.keep}`, `Keep #${pair.merge}`]);
    expect(await table.getByRole("row", { name: /^Name/ }).locator("td").allTextContents()).toEqual([
      pair.name,
      pair.name,
    ]);
    await saveScreenshot(page, "merge-side-by-side");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await dialog.getByRole("button", { name: `Merge #${pair.merge} into #${pair.keep}` }).click();
    await dialog.waitFor({ state: "detached" });
    await drawer(page, pair.keep).locator(".record-view").waitFor();
    expect(new URL(page.url()).searchParams.get("patient")).toBe(String(pair.keep));

    const moved = await running.chairside.db.sql<{ id: number }>("select id from appointment where patient_id = $1", [
      pair.keep,
    ]);
    expect(moved).toHaveLength(visits.length);

    // The merged record is still there, saying where it went.
    await page.goto(`${running.chairside.url}/?patient=${pair.merge}`);
    await drawer(page, pair.merge).locator(".record-view").waitFor();
    const notice = drawer(page, pair.merge).getByTestId("merged-notice");
    expect(await notice.textContent()).toContain(`Merged into patient #${pair.keep}`);
    await notice.getByRole("button", { name: `Open #${pair.keep}` }).click();
    await drawer(page, pair.keep).locator(".record-view").waitFor();

    // The kept record's trail shows the merge and the merged record's own history.
    await expect
      .poll(() => activityTexts(page, pair.keep))
      .toContain(`Merged record #${pair.merge} into #${pair.keep}`);
    const merged = drawer(page, pair.keep).locator(".activity-what", { hasText: `on record #${pair.merge}` });
    expect(await merged.count()).toBeGreaterThan(0);
    await saveScreenshot(page, "merge-activity");
    await page.context().close();
  });
});
