// From sign-in to a patient's record without the mouse: the login focuses Email, the list opens with the focus
// in the search box, ArrowDown goes into the results (their first row selected) and Enter opens that patient.
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, newPage, saveScreenshot, waitForRows } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { uniquelyNamedPatient } from "./support/practice.ts";

const running = runChairsideAndBrowser();

describe("the keyboard from sign-in to a record", () => {
  it("focuses Email, then the search box; ArrowDown selects the first result and Enter opens it", async () => {
    const { page } = await newPage(running.browser);
    await page.goto(running.chairside.url);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute("name") ?? document.activeElement?.id);
    await expect.poll(focused).toBe("email");

    // Typed, not clicked: Email has the focus, Tab reaches the password, Enter signs in.
    await page.keyboard.type(DEMO_ACCOUNTS.owner);
    await page.keyboard.press("Tab");
    await page.keyboard.type("chairside-demo");
    await page.keyboard.press("Enter");
    await waitForRows(page);
    expect(await focused()).toBe("patient-search");

    const patient = await uniquelyNamedPatient(running.chairside.db, 100);
    const name = `${patient.first_name} ${patient.last_name}`;
    await page.keyboard.type(name);
    await page.waitForURL((url) => url.searchParams.get("q") === name);
    await waitForRows(page);
    const first = page.locator("#patient-grid tbody tr.patient-row").first();
    expect(await first.getAttribute("data-patient-id")).toBe(String(patient.id));

    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("patient-grid");
    expect(await first.getAttribute("aria-selected")).toBe("true");
    expect(await page.locator("#patient-grid").getAttribute("aria-activedescendant")).toBe(`patient-row-${patient.id}`);
    await saveScreenshot(page, "keyboard-result-selected");

    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.searchParams.get("patient") === String(patient.id));
    await page.locator(`aside[data-patient-id="${patient.id}"] .record-view`).waitFor();
    await page.context().close();
  });
});
