// The list's view, decided by the server and kept in the URL: search, status tabs with counts, the clinic
// filter, sorting by a column, restoring all of it after a reload or back/forward, and the keyboard.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPage, openSignedIn, rows, visibleRowIds, waitForRows } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { firstPatientBy, patientsByName, uniquelyNamedPatient } from "./support/practice.ts";

const running = runChairsideAndBrowser();

async function signedIn(path = "/"): Promise<Page> {
  const { page } = await newPage(running.browser);
  await openSignedIn(page, running.chairside.url, "owner", path);
  return page;
}

const search = (page: Page) => page.getByLabel("Search patients");
const tab = (page: Page, name: string) => page.getByRole("tab", { name: new RegExp(`^${name}`) });
const tabCount = async (page: Page, name: string) =>
  Number(((await page.getByTestId(`count-${name}`).textContent()) ?? "").replace(/\D/g, ""));
const statusBadges = (page: Page) => rows(page).locator(".badge:not(.badge--archived)").allTextContents();

/** Waits until the list shows the view the URL asks for (the previous rows stay while the next load). */
async function waitForView(page: Page, check: (params: URLSearchParams) => boolean): Promise<void> {
  await page.waitForURL((url) => check(url.searchParams));
  await waitForRows(page);
}

describe("searching", () => {
  it("finds a patient who is not on the first page, on the server", async () => {
    const page = await signedIn();
    const patient = await uniquelyNamedPatient(running.chairside.db, 400);
    expect(await visibleRowIds(page)).not.toContain(patient.id);

    await search(page).fill(`${patient.first_name} ${patient.last_name}`);
    await waitForView(page, (params) => params.get("q") === `${patient.first_name} ${patient.last_name}`);
    // An exact full-name match ranks first.
    expect((await visibleRowIds(page))[0]).toBe(patient.id);
    await page.context().close();
  });

  it("focuses the search box on /", async () => {
    const page = await signedIn();
    await page.locator("#patient-grid").focus();
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("patient-search");
    await page.context().close();
  });
});

describe("status tabs", () => {
  it("shows each tab's patients, with counts that add up", async () => {
    const page = await signedIn();
    await expect.poll(() => tabCount(page, "all")).toBeGreaterThan(0);
    const all = await tabCount(page, "all");
    const active = await tabCount(page, "active");
    const inactive = await tabCount(page, "inactive");
    const fresh = await tabCount(page, "new");
    const archived = await tabCount(page, "archived");
    expect(active + inactive + fresh).toBe(all);
    const [{ count }] = (await running.chairside.db.sql<{ count: string }>(
      "select count(*) from patient where archived_at is not null",
    )) as [{ count: string }];
    expect(archived).toBe(Number(count));

    for (const [name, label] of [
      ["active", "Active"],
      ["inactive", "Inactive"],
      ["new", "New"],
    ] as const) {
      await tab(page, label).click();
      await waitForView(page, (params) => params.get("status") === name);
      expect(await tab(page, label).getAttribute("aria-selected")).toBe("true");
      const badges = await statusBadges(page);
      expect(badges.length).toBeGreaterThan(0);
      expect(new Set(badges)).toEqual(new Set([label]));
    }

    await tab(page, "Archived").click();
    await waitForView(page, (params) => params.get("status") === "archived");
    const archivedBadges = await rows(page).locator(".badge--archived").count();
    expect(archivedBadges).toBe(await rows(page).count());

    await tab(page, "All").click();
    await waitForView(page, (params) => !params.has("status"));
    expect(await rows(page).locator(".badge--archived").count()).toBe(0);
    await page.context().close();
  });

  it("filters by clinic for owners, and the counts follow", async () => {
    const page = await signedIn();
    const clinic = page.getByLabel("Clinic");
    await expect.poll(() => clinic.locator("option").count()).toBeGreaterThan(2);
    const allCount = await tabCount(page, "all");
    const [{ id: clinicId, name }] = (await running.chairside.db.sql<{ id: number; name: string }>(
      "select id, name from clinic order by name limit 1",
    )) as [{ id: number; name: string }];
    await clinic.selectOption(String(clinicId));
    await waitForView(page, (params) => params.get("clinic") === String(clinicId));
    const clinics = new Set(await rows(page).locator("td.cell-clinic").allTextContents());
    expect(clinics).toEqual(new Set([name]));
    await expect.poll(() => tabCount(page, "all")).toBeLessThan(allCount);
    await page.context().close();
  });
});

describe("sorting", () => {
  it("sorts by name, last visit and date added when a column header is clicked", async () => {
    const page = await signedIn();
    const header = (name: string) => page.getByRole("columnheader", { name });

    await header("Name").getByRole("button").click();
    await waitForView(page, (params) => params.get("sort") === "name" && params.get("dir") === "desc");
    expect(await header("Name").getAttribute("aria-sort")).toBe("descending");
    expect((await visibleRowIds(page))[0]).toBe(
      await firstPatientBy(running.chairside.db, "last_name desc, first_name desc, id desc"),
    );

    await header("Last visit").getByRole("button").click();
    await waitForView(page, (params) => params.get("sort") === "lastVisit" && params.get("dir") === "desc");
    expect(await header("Last visit").getAttribute("aria-sort")).toBe("descending");
    expect(await header("Name").getAttribute("aria-sort")).toBe("none");
    expect((await visibleRowIds(page))[0]).toBe(
      await firstPatientBy(running.chairside.db, "coalesce(last_visit_at, '-infinity') desc, id desc"),
    );

    await header("Last visit").getByRole("button").click();
    await waitForView(page, (params) => params.get("sort") === "lastVisit" && params.get("dir") === "asc");
    expect((await visibleRowIds(page))[0]).toBe(
      await firstPatientBy(running.chairside.db, "coalesce(last_visit_at, '-infinity') asc, id asc"),
    );

    await header("Added").getByRole("button").click();
    await waitForView(page, (params) => params.get("sort") === "createdAt" && params.get("dir") === "desc");
    expect((await visibleRowIds(page))[0]).toBe(await firstPatientBy(running.chairside.db, "created_at desc, id desc"));
    await page.context().close();
  });
});

describe("the view in the URL", () => {
  it("restores tab, sort, search and the open patient after a reload, and steps through them with back/forward", async () => {
    const page = await signedIn();
    await tab(page, "Inactive").click();
    await waitForView(page, (params) => params.get("status") === "inactive");
    await page.getByRole("columnheader", { name: "Last visit" }).getByRole("button").click();
    await waitForView(page, (params) => params.get("sort") === "lastVisit");
    await search(page).fill("an");
    await waitForView(page, (params) => params.get("q") === "an");
    const shown = await visibleRowIds(page);
    const opened = shown[2] as number;
    await rows(page).nth(2).locator(".patient-link").click();
    await page.waitForURL((url) => url.searchParams.get("patient") === String(opened));
    await page.locator(`aside[data-patient-id="${opened}"] .record-view`).waitFor();

    await page.reload();
    await waitForRows(page);
    expect(await tab(page, "Inactive").getAttribute("aria-selected")).toBe("true");
    expect(await page.getByRole("columnheader", { name: "Last visit" }).getAttribute("aria-sort")).toBe("descending");
    expect(await search(page).inputValue()).toBe("an");
    // The same rows in the same order (how many fit depends on the record being open beside them).
    const restored = await visibleRowIds(page);
    expect(restored.slice(0, 10)).toEqual(shown.slice(0, 10));
    await page.locator(`aside[data-patient-id="${opened}"] .record-view`).waitFor();
    expect(await rows(page).nth(2).getAttribute("aria-selected")).toBe("true");

    // A shared link opens the same view in another browser.
    const { page: colleague } = await newPage(running.browser);
    await openSignedIn(
      colleague,
      running.chairside.url,
      "owner",
      new URL(page.url()).search ? `/${new URL(page.url()).search}` : "/",
    );
    expect((await visibleRowIds(colleague)).slice(0, 10)).toEqual(shown.slice(0, 10));
    await colleague.locator(`aside[data-patient-id="${opened}"] .record-view`).waitFor();
    await colleague.context().close();

    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has("patient"));
    expect(await page.locator("aside.drawer").count()).toBe(0);
    await page.goBack();
    await waitForView(page, (params) => params.get("sort") === "lastVisit" && !params.has("q"));
    expect(await search(page).inputValue()).toBe("");
    await page.goBack();
    await waitForView(page, (params) => params.get("status") === "inactive" && !params.has("sort"));
    expect(await page.getByRole("columnheader", { name: "Name" }).getAttribute("aria-sort")).toBe("ascending");
    await page.goForward();
    await waitForView(page, (params) => params.get("sort") === "lastVisit");
    expect(await page.getByRole("columnheader", { name: "Last visit" }).getAttribute("aria-sort")).toBe("descending");
    await page.context().close();
  });
});

describe("the keyboard", () => {
  it("moves the selection with up/down, opens the patient with Enter and closes the record with Escape", async () => {
    const page = await signedIn();
    const grid = page.locator("#patient-grid");
    const ids = await visibleRowIds(page);
    const selected = () => page.locator("tr.patient-row[aria-selected='true']").getAttribute("data-patient-id");

    await grid.focus();
    await page.keyboard.press("ArrowDown");
    expect(await selected()).toBe(String(ids[0]));
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await selected()).toBe(String(ids[2]));
    await page.keyboard.press("ArrowUp");
    expect(await selected()).toBe(String(ids[1]));
    expect(await grid.getAttribute("aria-activedescendant")).toBe(`patient-row-${ids[1]}`);

    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.searchParams.get("patient") === String(ids[1]));
    await page.locator(`aside[data-patient-id="${ids[1]}"] .record-view`).waitFor();

    await page.keyboard.press("Escape");
    await page.waitForURL((url) => !url.searchParams.has("patient"));
    expect(await page.locator("aside.drawer").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("patient-grid");

    // Far down the list the selection scrolls into view and pages keep coming.
    for (let step = 0; step < 60; step++) await page.keyboard.press("ArrowDown");
    expect(await selected()).toBe(String((await patientsByName(running.chairside.db, 62))[61]?.id));
    const box = await page.locator("tr.patient-row[aria-selected='true']").boundingBox();
    const viewport = await page.locator(".table-scroll").boundingBox();
    expect(box && viewport && box.y >= viewport.y && box.y + box.height <= viewport.y + viewport.height).toBe(true);
    await page.context().close();
  });
});
