// The patient list in a real browser against the production build: first load, infinite scrolling with the
// next page requested ahead of the user, a bounded DOM, empty and error states, accessibility.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  newPage,
  openSignedIn,
  rows,
  saveScreenshot,
  seriousAccessibilityProblems,
  signInWithForm,
  TABLET,
  waitForRows,
} from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { installListProbe, readListProbe, renderedRows, scrollList, settle } from "./support/list-probe.ts";
import { patientsByName } from "./support/practice.ts";

const PAGE_SIZE = 50;
/** "Well above the end": when the next page is requested, at least this many loaded rows (about two screens
 *  at 1280x800) are still below the last row the user has seen. */
const ROWS_AHEAD = 20;

const running = runChairsideAndBrowser();

async function signedInList(): Promise<Page> {
  const { page } = await newPage(running.browser);
  await installListProbe(page);
  await openSignedIn(page, running.chairside.url);
  await settle(page);
  return page;
}

describe("the patient list", () => {
  it("shows a skeleton while the first page loads, then the patients in name order", async () => {
    const { page } = await newPage(running.browser);
    await page.goto(running.chairside.url);
    await signInWithForm(page);
    // Hold the first page back until the skeleton is on screen: the user sees it while the page loads.
    let skeletonShown = false;
    await page.route(/patients\.list/, async (route) => {
      await page
        .locator(".skeleton-row")
        .first()
        .waitFor({ timeout: 10_000 })
        .then(() => {
          skeletonShown = true;
        })
        .catch(() => {});
      await route.continue();
    });
    await page.reload();
    await waitForRows(page);
    expect(skeletonShown).toBe(true);
    expect(await page.locator(".skeleton-row").count()).toBe(0);

    const expected = await patientsByName(running.chairside.db, 5);
    const firstNames = await rows(page).locator(".patient-link").allTextContents();
    expect(firstNames.slice(0, 5)).toEqual(expected.map((patient) => `${patient.last_name}, ${patient.first_name}`));
    await page.context().close();
  });

  it("scrolls through five pages without a duplicate or missing row, each next page requested before the last loaded row came into view", async () => {
    const page = await signedInList();
    const seen = new Map<number, number>(); // index -> patient id
    const record = async () => {
      for (const [index, id] of await renderedRows(page)) {
        const before = seen.get(index);
        if (before !== undefined) expect(id, `row ${index} changed patient`).toBe(before);
        seen.set(index, id);
      }
    };
    await record();
    // A user scrolling at a steady pace: 200 px at a time, each step rendered before the next.
    while (Math.max(...seen.keys()) < PAGE_SIZE * 6) {
      await scrollList(page, 200);
      await record();
    }

    const shown = Math.max(...seen.keys()) + 1;
    const truth = await patientsByName(running.chairside.db, shown);
    const shownIds = Array.from({ length: shown }, (_, index) => seen.get(index));
    expect(shownIds).toEqual(truth.map((patient) => patient.id));
    expect(new Set(shownIds).size).toBe(shown);

    const probe = await readListProbe(page);
    expect(probe.listRequests.length).toBeGreaterThanOrEqual(6);
    for (let loaded = 1; loaded <= 5; loaded++) {
      const lastLoadedRow = loaded * PAGE_SIZE - 1;
      const requested = probe.listRequests[loaded]?.at;
      const lastRowSeen = probe.firstSeen[lastLoadedRow];
      expect(requested, `request for page ${loaded + 1}`).toBeDefined();
      expect(lastRowSeen, `row ${lastLoadedRow} was scrolled past`).toBeDefined();
      expect(
        requested as number,
        `page ${loaded + 1} was requested before row ${lastLoadedRow} came into view`,
      ).toBeLessThan(lastRowSeen as number);
      // ...and well before: the furthest row the user had seen then was more than a screen above the end.
      const furthestSeen = Math.max(
        ...Object.entries(probe.firstSeen)
          .filter(([, at]) => at <= (requested as number))
          .map(([index]) => Number(index)),
      );
      expect(
        lastLoadedRow - furthestSeen,
        `rows still below the user when page ${loaded + 1} was requested`,
      ).toBeGreaterThanOrEqual(ROWS_AHEAD);
    }
    // So the user never met the "Loading more patients…" row.
    expect(probe.loaderSeenAt).toEqual([]);
    await saveScreenshot(page, "list-scrolled");
    await page.context().close();
  });

  it("keeps a row's DOM node for its patient while scrolling (rows are keyed by patient id)", async () => {
    const page = await signedInList();
    const [, id] = (await renderedRows(page))[5] ?? [];
    await page
      .locator(`tr[data-patient-id="${id}"]`)
      .evaluate((row) => Object.assign(row, { __marker: row.getAttribute("data-patient-id") }));
    await scrollList(page, 3 * 56);
    const marker = await page
      .locator(`tr[data-patient-id="${id}"]`)
      .evaluate((row) => (row as HTMLElement & { __marker?: string }).__marker);
    expect(marker).toBe(String(id));
    await page.context().close();
  });

  it("holds a bounded number of rows in the DOM after scrolling past 1,000 patients", async () => {
    const page = await signedInList();
    let mostRows = 0;
    let furthest = 0;
    while (furthest < 1_000) {
      await scrollList(page, 1_400);
      const rendered = await renderedRows(page);
      mostRows = Math.max(mostRows, await page.locator("#patient-grid tbody tr").count());
      furthest = Math.max(furthest, ...rendered.map(([index]) => index));
    }
    expect(furthest).toBeGreaterThanOrEqual(1_000);
    // About one screen of rows plus the overscan either side, however far the list goes.
    expect(mostRows).toBeLessThanOrEqual(50);
    const rendered = await renderedRows(page);
    expect(rendered.length).toBeLessThanOrEqual(40);
    expect(rendered.every(([index]) => index > 900)).toBe(true);
    await page.context().close();
  });

  it("says so when nothing matches, and clearing the search brings the patients back", async () => {
    const page = await signedInList();
    await page.getByLabel("Search patients").fill("qqzzxxnobody");
    await expect.poll(() => page.locator(".empty-title").textContent()).toContain("No patients match “qqzzxxnobody”");
    await page.getByRole("button", { name: "Clear the search" }).click();
    await waitForRows(page);
    expect(new URL(page.url()).searchParams.get("q")).toBeNull();
    await expect.poll(() => page.getByLabel("Search patients").inputValue()).toBe("");
    await page.context().close();
  });

  it("says what went wrong when the list cannot be loaded, and Try again recovers", async () => {
    const { page } = await newPage(running.browser);
    await page.goto(running.chairside.url);
    await signInWithForm(page);
    await page.route(/patients\.list/, (route) => route.abort("connectionrefused"));
    await page.reload();
    const alert = page.getByRole("alert").filter({ hasText: "The patient list could not be loaded" });
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain("The server could not be reached");
    await page.unroute(/patients\.list/);
    await alert.getByRole("button", { name: "Try again" }).click();
    await waitForRows(page);
    await page.context().close();
  });

  it("has no serious or critical accessibility violations, and fits a tablet", async () => {
    const page = await signedInList();
    await saveScreenshot(page, "list");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    // The check itself can fail: a button without a name is caught.
    await page.evaluate(() => document.querySelector(".toolbar-actions")?.append(document.createElement("button")));
    expect((await seriousAccessibilityProblems(page)).map((problem) => problem.rule)).toContain("button-name");

    const { page: tablet } = await newPage(running.browser, TABLET);
    await openSignedIn(tablet, running.chairside.url);
    const overflow = await tablet.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(tablet, "list-tablet");
    expect(await seriousAccessibilityProblems(tablet)).toEqual([]);
    await page.context().close();
    await tablet.context().close();
  });
});
