// The first open: the list's first page leaves the browser before the session check has answered (beside it),
// a signed-out browser is shown the login and never a patient, the first paint loads only the code it needs,
// within a budget in bytes, and the production build's source maps are not served.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { newPage, saveScreenshot, signInWithForm, waitForRows } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";

const running = runChairsideAndBrowser();

/**
 * The first paint's JavaScript, brotli at quality 11 (bytes are deterministic for a given build). The budget sits
 * between the single bundle of before and the split one (BENCHMARKS.md, "In the browser", has both): room for the
 * list's own features to grow a little, and a failure for a bundle that carries the record, the dialogs or the
 * forms' schemas (zod) again.
 */
const FIRST_PAINT_JS_BROTLI_BUDGET = 110 * 1024;
/** The code that must not be part of the first paint of a signed-in list. */
const ON_DEMAND = ["PatientDrawer", "CreatePatientDialog", "LoginScreen"];
/** Asked for at boot beside the first page, but never waited for: until it comes, phones read as typed. */
const BESIDE_FIRST_PAINT = "phone-numbers";

const decoded = (url: string) => decodeURIComponent(url);
const calls = (url: string) => new URL(decoded(url)).pathname.split("/").at(-1)?.split(",") ?? [];

async function signedInContext(): Promise<BrowserContext> {
  const { page, context } = await newPage(running.browser);
  await page.goto(running.chairside.url);
  await signInWithForm(page, "owner");
  await page.close();
  return context;
}

/** Records, from before the first script runs, whether a patient row was ever in the DOM. */
async function watchForPatientRows(page: Page): Promise<() => Promise<boolean>> {
  await page.addInitScript(() => {
    const seen = { row: false };
    (window as unknown as { __rowSeen: typeof seen }).__rowSeen = seen;
    new MutationObserver(() => {
      if (document.querySelector("tr.patient-row")) seen.row = true;
    }).observe(document, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { __rowSeen: { row: boolean } }).__rowSeen.row);
}

describe("the first open", () => {
  it("sends the list's first page before the session check has answered, and asks for it once", async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    const order: string[] = [];
    let sessionAnswered = false;
    // The first page: a list call without a cursor (the next pages follow at once, ahead of the scrolling).
    const firstPage = (url: string) => calls(url).includes("patients.list") && !decoded(url).includes('"cursor":"');
    let listSent = () => {};
    const listLeft = new Promise<void>((resolve) => {
      listSent = resolve;
    });
    page.on("request", (request) => {
      if (!firstPage(request.url())) return;
      order.push(sessionAnswered ? "list after the session's answer" : "list before the session's answer");
      listSent();
    });
    // The session check's answer is held until a list request has left (or long enough to be sure none will).
    await page.route(
      (url) => calls(url.href).includes("auth.me"),
      async (route) => {
        const response = await route.fetch();
        await Promise.race([listLeft, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        sessionAnswered = true;
        await route.fulfill({ response });
      },
    );
    await page.goto(running.chairside.url);
    await waitForRows(page);
    await saveScreenshot(page, "first-open");
    expect(order[0]).toBe("list before the session's answer");
    // The table used the page asked for at boot: no second request for the first page.
    expect(order).toHaveLength(1);
    await context.close();
  });

  it("shows a signed-out browser the login, never a patient row, and no 'session ended' notice", async () => {
    const { page, context } = await newPage(running.browser);
    const rowEverShown = await watchForPatientRows(page);
    const refusedList: number[] = [];
    page.on("response", (response) => {
      if (calls(response.url()).includes("patients.list")) refusedList.push(response.status());
    });
    await page.goto(running.chairside.url);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await expect.poll(() => refusedList.length).toBeGreaterThan(0);
    // The batch answers each call on its own: the list's part is UNAUTHORIZED, and nothing shows it.
    expect(refusedList.every((status) => status === 401 || status === 207)).toBe(true);
    expect(await rowEverShown()).toBe(false);
    expect(await page.getByText("Your session has ended").count()).toBe(0);

    await signInWithForm(page, "owner");
    await waitForRows(page);
    await context.close();
  });

  it("loads only the list's code for its first paint, within the budget", async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.origin === running.chairside.url && url.pathname.endsWith(".js")) scripts.push(url.pathname);
    });
    // The phone formatter is held until the rows are painted: they must not wait for it.
    let releasePhones = () => {};
    const phonesHeld = new Promise<void>((resolve) => {
      releasePhones = resolve;
    });
    await page.route(`**/assets/${BESIDE_FIRST_PAINT}-*.js`, async (route) => {
      await phonesHeld;
      await route.continue();
    });
    await page.goto(running.chairside.url);
    await waitForRows(page);
    releasePhones();
    expect(scripts.filter((path) => path.includes(BESIDE_FIRST_PAINT))).toHaveLength(1);
    const { webRoot } = inject("chairsideWeb");
    const bytes = scripts
      .filter((path) => !path.includes(BESIDE_FIRST_PAINT))
      .map((path) => readFileSync(join(webRoot, path)));
    const brotli = bytes.reduce(
      (sum, file) => sum + brotliCompressSync(file, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      0,
    );
    expect(scripts.filter((path) => ON_DEMAND.some((name) => path.includes(name)))).toEqual([]);
    expect(brotli).toBeLessThanOrEqual(FIRST_PAINT_JS_BROTLI_BUDGET);

    // The record's code comes when a record is first opened.
    await page.locator("#patient-grid tbody tr.patient-row .patient-link").first().click();
    await page.locator("aside.drawer .record-view").waitFor();
    expect(scripts.some((path) => path.includes("PatientDrawer"))).toBe(true);
    await context.close();
  });

  it("serves no source map: the build points to none, and asking for one is a 404", async () => {
    const { webRoot } = inject("chairsideWeb");
    const assets = readdirSync(join(webRoot, "assets"));
    const maps = assets.filter((name) => name.endsWith(".map"));
    // The production build keeps its maps beside the files (for reading a stack trace there), unannounced.
    expect(maps.length).toBeGreaterThan(0);
    for (const script of assets.filter((name) => name.endsWith(".js")))
      expect(readFileSync(join(webRoot, "assets", script), "utf8"), script).not.toContain("sourceMappingURL");
    for (const map of maps) {
      for (const accept of ["*/*", "text/html"]) {
        const answer = await fetch(`${running.chairside.url}/assets/${map}`, { headers: { accept } });
        expect(answer.status, `${map} (${accept})`).toBe(404);
        expect(await answer.text(), map).not.toContain('"sources"');
      }
    }
  });
});
