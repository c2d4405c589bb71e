// Editing a record in the browser: the server's own schema checked before sending, the server's refusals beside
// the field, the conflict when someone else saved first; and registering a patient with the duplicate warning.
import { describe, expect, it } from "vitest";
import { newPage, openSignedIn, saveScreenshot, seriousAccessibilityProblems } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { distinctPatients } from "./support/practice.ts";
import { drawer, field, fieldError, openRecord, row, startEditing } from "./support/record-page.ts";

const running = runChairsideAndBrowser();

/** A patient of the first page of the default list, a different one per test. */
const aPatient = distinctPatients(() => running.chairside.db);

describe("editing", () => {
  it("saves an edit that persists after a reload, and the list row follows at once", async () => {
    const patient = await aPatient();
    const { page } = await newPage(running.browser);
    await openRecord(page, running.chairside, patient.id);
    await startEditing(page, patient.id);
    await saveScreenshot(page, "detail-edit");
    await field(page, patient.id, "Phone").fill("(212) 555-0142");
    await field(page, patient.id, "Notes").fill("Prefers morning appointments.");
    await drawer(page, patient.id).getByRole("button", { name: "Save changes" }).click();
    await drawer(page, patient.id).locator(".record-view").waitFor();
    expect(await drawer(page, patient.id).locator(".record-details").textContent()).toContain("(212) 555-0142");
    expect(await row(page, patient.id).locator(".cell-phone").textContent()).toBe("(212) 555-0142");

    await page.reload();
    await drawer(page, patient.id).locator(".record-view").waitFor();
    const details = await drawer(page, patient.id).locator(".record-details").textContent();
    expect(details).toContain("(212) 555-0142");
    expect(details).toContain("Prefers morning appointments.");
    const [saved] = await running.chairside.db.sql<{ phone: string; notes: string }>(
      "select phone, notes from patient where id = $1",
      [patient.id],
    );
    expect(saved).toEqual({ phone: "(212) 555-0142", notes: "Prefers morning appointments." });
    await page.context().close();
  });

  it("checks fields with the server's schema before sending, and shows the server's refusals beside the field", async () => {
    const patient = await aPatient();
    const [other] = await running.chairside.db.sql<{ email: string }>(
      "select email from patient where email is not null and id <> $1 order by id limit 1",
      [patient.id],
    );
    const { page } = await newPage(running.browser);
    await openRecord(page, running.chairside, patient.id);
    await startEditing(page, patient.id);
    let updates = 0;
    page.on("request", (request) => {
      if (request.url().includes("patients.update")) updates++;
    });

    await field(page, patient.id, "Email").fill("not-an-email");
    await field(page, patient.id, "First name").fill("  ");
    await drawer(page, patient.id).getByRole("button", { name: "Save changes" }).click();
    expect(await fieldError(page, patient.id, "Email")).toBe("Not a valid email address");
    expect(await fieldError(page, patient.id, "First name")).toBe("Required");
    expect(await field(page, patient.id, "Email").getAttribute("aria-invalid")).toBe("true");
    expect(updates).toBe(0);

    // Only the server knows another record has this email.
    await field(page, patient.id, "First name").fill(patient.first_name);
    await field(page, patient.id, "Email").fill(other?.email ?? "");
    await drawer(page, patient.id).getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => fieldError(page, patient.id, "Email")).toMatch(/already has this email/i);
    expect(updates).toBe(1);
    expect(await fieldError(page, patient.id, "First name")).toBeNull();
    await page.context().close();
  });

  it("when someone else saved first, shows what they changed and re-applies mine on top, or keeps theirs", async () => {
    const patient = await aPatient();
    const [mine, theirs] = await Promise.all([newPage(running.browser), newPage(running.browser)]);
    await Promise.all([
      openRecord(mine.page, running.chairside, patient.id),
      openRecord(theirs.page, running.chairside, patient.id, "owner"),
    ]);
    await Promise.all([startEditing(mine.page, patient.id), startEditing(theirs.page, patient.id)]);

    // They change the phone and save first.
    await field(theirs.page, patient.id, "Phone").fill("(718) 555-0199");
    await drawer(theirs.page, patient.id).getByRole("button", { name: "Save changes" }).click();
    await drawer(theirs.page, patient.id).locator(".record-view").waitFor();

    // I change the notes from the version I opened: the save is refused and the difference shown.
    await field(mine.page, patient.id, "Notes").fill("Allergic to latex.");
    await drawer(mine.page, patient.id).getByRole("button", { name: "Save changes" }).click();
    const conflict = drawer(mine.page, patient.id).locator(".conflict-panel");
    await conflict.waitFor();
    expect(await conflict.locator('tr[data-field="phone"]').textContent()).toContain("(718) 555-0199");
    expect(await conflict.locator('tr[data-field="notes"]').textContent()).toContain("Allergic to latex.");
    await saveScreenshot(mine.page, "detail-conflict");
    expect(await seriousAccessibilityProblems(mine.page)).toEqual([]);

    await conflict.getByRole("button", { name: "Re-apply my changes" }).click();
    await drawer(mine.page, patient.id).locator(".record-view").waitFor();
    const [both] = await running.chairside.db.sql<{ phone: string; notes: string }>(
      "select phone, notes from patient where id = $1",
      [patient.id],
    );
    expect(both).toEqual({ phone: "(718) 555-0199", notes: "Allergic to latex." });

    // Again, and this time I keep their version.
    await theirs.page.reload();
    await drawer(theirs.page, patient.id).locator(".record-view").waitFor();
    await Promise.all([startEditing(mine.page, patient.id), startEditing(theirs.page, patient.id)]);
    await field(theirs.page, patient.id, "Address").fill("1 Their Street, Brooklyn, NY 11201");
    await drawer(theirs.page, patient.id).getByRole("button", { name: "Save changes" }).click();
    await drawer(theirs.page, patient.id).locator(".record-view").waitFor();
    await field(mine.page, patient.id, "Address").fill("2 My Avenue, Brooklyn, NY 11215");
    await drawer(mine.page, patient.id).getByRole("button", { name: "Save changes" }).click();
    await conflict.waitFor();
    expect(await conflict.locator('tr[data-field="address"]').getAttribute("class")).toBe("is-clash");
    await conflict.getByRole("button", { name: "Discard mine, keep theirs" }).click();
    await drawer(mine.page, patient.id).locator(".record-view").waitFor();
    expect(await drawer(mine.page, patient.id).locator(".record-details").textContent()).toContain(
      "1 Their Street, Brooklyn, NY 11201",
    );
    const [kept] = await running.chairside.db.sql<{ address: string }>("select address from patient where id = $1", [
      patient.id,
    ]);
    expect(kept?.address).toBe("1 Their Street, Brooklyn, NY 11201");
    await mine.context.close();
    await theirs.context.close();
  });
});

describe("registering a patient", () => {
  it("warns about a likely duplicate, names it, and creates the record when confirmed", async () => {
    const [existing] = await running.chairside.db.sql<{
      id: number;
      first_name: string;
      last_name: string;
      birthday: string;
    }>(
      `select id, first_name, last_name, to_char(birthday, 'YYYY-MM-DD') as birthday from patient
        where birthday is not null and archived_at is null order by id limit 1`,
    );
    if (!existing) throw new Error("no patient with a birthday");
    const { page } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url);
    await page.getByRole("button", { name: "New patient" }).click();
    const dialog = page.getByRole("dialog", { name: "New patient" });
    await dialog.getByLabel("First name").fill(existing.first_name);
    await dialog.getByLabel("Last name").fill(existing.last_name);
    await dialog.getByLabel("Date of birth").fill(existing.birthday);
    await dialog.getByLabel("Phone").fill("646 555 0100");
    await dialog.getByRole("button", { name: "Create patient" }).click();
    // An owner works at every clinic and must say which.
    expect(await dialog.locator(".field-error").allTextContents()).toHaveLength(1);
    const clinics = await dialog.getByLabel("Clinic").locator("option").allTextContents();
    await dialog.getByLabel("Clinic").selectOption({ label: clinics[1] ?? "" });
    await dialog.getByRole("button", { name: "Create patient" }).click();

    const warning = dialog.locator(".duplicate-warning");
    await warning.waitFor();
    expect(await warning.textContent()).toContain(`${existing.first_name} ${existing.last_name}`);
    await saveScreenshot(page, "create-duplicate-warning");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    await dialog.getByRole("button", { name: "Create anyway" }).click();
    await page.waitForURL((url) => {
      const opened = Number(url.searchParams.get("patient"));
      return opened > 0 && opened !== existing.id;
    });
    const created = Number(new URL(page.url()).searchParams.get("patient"));
    await drawer(page, created).locator(".record-view").waitFor();
    const namesakes = await running.chairside.db.sql(
      "select id from patient where first_name = $1 and last_name = $2 and birthday = $3",
      [existing.first_name, existing.last_name, existing.birthday],
    );
    expect(namesakes).toHaveLength(2);
    await page.close();
  });
});
