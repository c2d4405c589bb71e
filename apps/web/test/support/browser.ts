// Debian's Chromium driven by playwright-core, and what every browser test needs: signing in, waiting for
// the list, accessibility checks with axe-core, screenshots as test artifacts.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { AxeResults } from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export const DEMO_ACCOUNTS = {
  owner: "owner@chairside.test",
  receptionist: "reception@chairside.test",
  dentist: "dentist@chairside.test",
} as const;
export type DemoAccount = keyof typeof DEMO_ACCOUNTS;
const DEMO_PASSWORD = "chairside-demo";

export const DESKTOP = { width: 1280, height: 800 } as const;
export const TABLET = { width: 1024, height: 768 } as const;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newPage(
  browser: Browser,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: "en-US", timezoneId: "America/New_York" });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

/** Fills the login form (the page must show it) and waits until the app has replaced it. */
export async function signInWithForm(page: Page, account: DemoAccount = "owner"): Promise<void> {
  await page.getByLabel("Email").fill(DEMO_ACCOUNTS[account]);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".app-header").waitFor();
}

/** Opens `path` of the app signed in as `account`, and waits for the first rows of the list. */
export async function openSignedIn(
  page: Page,
  baseUrl: string,
  account: DemoAccount = "owner",
  path = "/",
): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await signInWithForm(page, account);
  await waitForRows(page);
}

export const rows = (page: Page) => page.locator("#patient-grid tbody tr.patient-row");

/** Waits until the list shows rows of the current view (not the previous view's rows, kept while loading). */
export async function waitForRows(page: Page): Promise<void> {
  await page.locator('#patient-grid[aria-busy="false"]').waitFor();
  await rows(page).first().waitFor();
}

/** Waits until the list has settled on the current view, rows or not. */
export async function waitForListSettled(page: Page): Promise<void> {
  await page.locator('#patient-grid[aria-busy="false"]').waitFor();
}

/** The patient ids of the rows in the DOM, in order. */
export async function visibleRowIds(page: Page): Promise<number[]> {
  return rows(page).evaluateAll((elements) =>
    elements.map((element) => Number(element.getAttribute("data-patient-id"))),
  );
}

const require = createRequire(import.meta.url);
const AXE_SCRIPT = require.resolve("axe-core/axe.min.js");
let axeSource: string | undefined;

export interface AxeProblem {
  rule: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAccessibilityProblems(page: Page): Promise<AxeProblem[]> {
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') rightly refuses an inline <script>.
  axeSource ??= readFileSync(AXE_SCRIPT, "utf8");
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document): Promise<AxeResults> } }).axe.run(document),
  );
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
}

const SCREENSHOTS = join(import.meta.dirname, "../../../../test-results/screenshots");

/** Saves a screenshot as a test artifact (test-results/screenshots/<name>.png, git-ignored). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The address bar's query parameters. */
export function urlParams(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}
