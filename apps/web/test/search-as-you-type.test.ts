// The list follows typing: every key asks the server, the request for a search typed past is aborted, the rows
// on screen stay until the next answer arrives, and a late answer to an older search never replaces a newer one.
import type { Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPage, openSignedIn, rows, saveScreenshot, visibleRowIds, waitForRows } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { patientsByName } from "./support/practice.ts";

const running = runChairsideAndBrowser();

const nextFrames = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** Holds every request that carries `search` (the list's page and the tab counts alike) until released; the
 *  server's answer is fetched at once, so a released request answers late with what the server said then. */
async function holdSearch(page: Page, search: string) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const requested: string[] = [];
  let arrived = () => {};
  const firstArrival = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const handler = async (route: Route) => {
    requested.push(decodeURIComponent(route.request().url()));
    arrived();
    const response = await route.fetch();
    await released;
    // The page may have aborted it meanwhile: then there is nobody left to answer.
    await route.fulfill({ response }).catch(() => {});
  };
  await page.route((url) => decodeURIComponent(url.href).includes(`"search":"${search}"`), handler);
  return { release, requested, firstArrival };
}

describe("search as you type", () => {
  it("asks at each key, aborts the stale request, keeps the rows on screen until the next arrive, and ignores a late older answer", async () => {
    const { page } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url);
    const before = await visibleRowIds(page);
    const [older, newer] = await patientsByName(running.chairside.db, 2, 900);
    if (!older || !newer) throw new Error("seed too small");
    const olderTerm = older.last_name;
    const newerTerm = `${newer.first_name} ${newer.last_name}`;

    const answered: string[] = [];
    page.on("requestfinished", (request) => answered.push(decodeURIComponent(request.url())));
    const failed: { url: string; error: string }[] = [];
    page.on("requestfailed", (request) =>
      failed.push({ url: decodeURIComponent(request.url()), error: request.failure()?.errorText ?? "" }),
    );
    const olderHeld = await holdSearch(page, olderTerm);
    const newerHeld = await holdSearch(page, newerTerm);

    const search = page.getByLabel("Search patients");
    await search.fill(olderTerm);
    await olderHeld.firstArrival;
    // The list's page and the tab counts of the older search are on their way (one batch or two).
    await expect.poll(() => olderHeld.requested.some((url) => url.includes("patients.list"))).toBe(true);
    await expect.poll(() => olderHeld.requested.some((url) => url.includes("patients.counts"))).toBe(true);
    // Meanwhile the rows already shown stay (dimmed), not a skeleton or an empty list.
    expect(await visibleRowIds(page)).toEqual(before);
    expect(await page.locator(".skeleton-row").count()).toBe(0);
    expect(await page.locator("#patient-grid").getAttribute("aria-busy")).toBe("true");

    await search.fill(newerTerm);
    await newerHeld.firstArrival;
    // The older search's requests (its page and its counts) are aborted as soon as the newer one replaces it.
    await expect
      .poll(() =>
        olderHeld.requested.every((url) =>
          failed.some((entry) => entry.url === url && entry.error === "net::ERR_ABORTED"),
        ),
      )
      .toBe(true);
    expect(await visibleRowIds(page)).toEqual(before);
    expect(await page.locator(".skeleton-row").count()).toBe(0);
    await saveScreenshot(page, "search-pending");

    newerHeld.release();
    await waitForRows(page);
    await expect
      .poll(() => answered.some((url) => url.includes("patients.counts") && url.includes(`"search":"${newerTerm}"`)))
      .toBe(true);
    await nextFrames(page);
    const newerRows = await visibleRowIds(page);
    expect(newerRows[0]).toBe(newer.id);
    const newerCounts = await page.locator(".status-tabs").textContent();

    // The older answer arrives last: it changes nothing on screen.
    olderHeld.release();
    await nextFrames(page);
    await nextFrames(page);
    expect(await visibleRowIds(page)).toEqual(newerRows);
    expect(await page.locator(".status-tabs").textContent()).toBe(newerCounts);
    expect(await rows(page).count()).toBeGreaterThan(0);
    expect(await search.inputValue()).toBe(newerTerm);
    await page.context().close();
  });
});
