// Signing in and out in the browser: the session cookie survives a reload, signing out ends it, and a session
// that ends underneath the user brings back the login, then the same view.
import { describe, expect, it } from "vitest";
import {
  newPage,
  openSignedIn,
  saveScreenshot,
  seriousAccessibilityProblems,
  signInWithForm,
  waitForRows,
} from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";

const running = runChairsideAndBrowser();

describe("signing in", () => {
  it("refuses a wrong password without saying which part was wrong, then signs in", async () => {
    const { page, context } = await newPage(running.browser);
    await page.goto(running.chairside.url);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await saveScreenshot(page, "login");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    await page.getByLabel("Email").fill("owner@chairside.test");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const failure = page.getByRole("alert");
    await failure.waitFor();
    expect(await failure.textContent()).toBe("That email and password do not match an account.");

    await signInWithForm(page, "owner");
    await waitForRows(page);
    expect(await page.locator(".app-header").textContent()).toContain("Owner");
    const cookie = (await context.cookies()).find((candidate) => candidate.name === "chairside_session");
    expect(cookie?.httpOnly).toBe(true);
    await context.close();
  });

  it("keeps the session across a reload, and signing out ends it", async () => {
    const { page, context } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url, "receptionist");
    await page.reload();
    await waitForRows(page);
    expect(await page.getByRole("heading", { name: "Sign in" }).count()).toBe(0);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.locator("#patient-grid").count()).toBe(0);
    await context.close();
  });

  it("returns to the login when the session ends, and to the same view after signing in again", async () => {
    const { page, context } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url, "owner", "/?status=inactive&sort=lastVisit&dir=desc");

    // The session is revoked elsewhere (as expiry or signing out on another device would).
    const token = (await context.cookies()).find((cookie) => cookie.name === "chairside_session")?.value;
    const revoked = await fetch(`${running.chairside.url}/trpc/auth.logout`, {
      method: "POST",
      headers: { cookie: `chairside_session=${token}`, "content-type": "application/json" },
      body: JSON.stringify({ json: null }),
    });
    expect(revoked.ok).toBe(true);

    await page.getByRole("tab", { name: /^Active/ }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("status").textContent()).toContain("Your session has ended");

    await signInWithForm(page, "owner");
    await waitForRows(page);
    const params = new URL(page.url()).searchParams;
    expect(params.get("status")).toBe("active");
    expect(params.get("sort")).toBe("lastVisit");
    expect(await page.getByRole("tab", { name: /^Active/ }).getAttribute("aria-selected")).toBe("true");
    await context.close();
  });

  it("offers a dentist the records but not the front desk's actions", async () => {
    const { page, context } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url, "dentist");
    expect(await page.getByRole("button", { name: "New patient" }).count()).toBe(0);
    expect(await page.getByLabel("Clinic").count()).toBe(0);
    await page.locator("#patient-grid tr.patient-row .patient-link").first().click();
    await page.locator("aside.drawer .record-view").waitFor();
    expect(await page.locator("aside.drawer").getByRole("button", { name: "Edit", exact: true }).count()).toBe(0);
    expect(
      await page
        .locator("aside.drawer")
        .getByRole("button", { name: /Archive/ })
        .count(),
    ).toBe(0);
    await context.close();
  });
});
