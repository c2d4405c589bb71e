// The list's rows as the front desk reads them: the date of birth that tells namesakes apart, phones and emails
// in one form and as links, no text cut at desktop widths, columns each staff member chooses, and a phone's
// screen (the header, the tabs, each row's status and the record in view). Screenshots at the three sizes.
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  DEMO_ACCOUNTS,
  type DemoAccount,
  newPage,
  openSignedIn,
  rows,
  saveScreenshot,
  signInWithForm,
  waitForRows,
} from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { columnHeaders, cutListText, outsideViewport, sidewaysScroll, splitWords } from "./support/layout.ts";
import { distinctPatients } from "./support/practice.ts";
import { drawer, field, openRecord, row, startEditing } from "./support/record-page.ts";

const running = runChairsideAndBrowser();
const aPatient = distinctPatients(() => running.chairside.db);

const SIZES = { desktop: { width: 1280, height: 800 }, wide: { width: 1920, height: 1080 } } as const;
const PHONE = { width: 390, height: 844 } as const;

/** A date of birth as the list shows it in the tests' en-US locale, and as staff type it: "11/27/1969". */
const shownBirthday = (date: string) => {
  const [year, month, day] = date.split("-");
  return `${month}/${day}/${year}`;
};

const search = (name: { first_name: string; last_name: string }) =>
  `/?${new URLSearchParams({ q: `${name.first_name} ${name.last_name}` })}`;

async function openList(page: Page, account: DemoAccount, path = "/"): Promise<void> {
  await openSignedIn(page, running.chairside.url, account, path);
}

/** A phone's browser: a touch screen whose page widens (and the view zooms out) if anything is too wide. */
async function newPhonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    locale: "en-US",
    timezoneId: "America/New_York",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

async function openByName(page: Page, id: number): Promise<void> {
  await row(page, id).locator(".patient-link").click();
  await drawerShown(page, id);
}

/** Waits for the record and for the drawer's sliding in to end (its box is measured where it stays). */
async function drawerShown(page: Page, id: number): Promise<void> {
  await drawer(page, id).locator(".record-view").waitFor();
  await drawer(page, id).evaluate((element) =>
    Promise.all(element.getAnimations().map((animation) => animation.finished)),
  );
}

describe("telling patients apart", () => {
  it("shows each patient's date of birth and age, so namesakes differ, also with the record open beside the list", async () => {
    const [namesakes] = await running.chairside.db.sql<{ first_name: string; last_name: string; ids: number[] }>(
      `select min(first_name) as first_name, min(last_name) as last_name, array_agg(id order by id) as ids
         from patient where archived_at is null and birthday is not null
        group by first_name, last_name having count(distinct birthday) = count(*) and count(*) > 1
        order by count(*) desc, 1, 2 limit 1`,
    );
    if (!namesakes) throw new Error("the practice has no namesakes");
    const { page } = await newPage(running.browser, SIZES.desktop);
    await openList(page, "owner", search(namesakes));

    const birthdays = await running.chairside.db.sql<{ id: number; birthday: string }>(
      "select id, to_char(birthday, 'YYYY-MM-DD') as birthday from patient where id = any($1)",
      [namesakes.ids],
    );
    const shown = [];
    for (const { id, birthday } of birthdays) {
      const cell = row(page, id).locator("td.cell-birthday");
      expect(await cell.locator(".cell-main").textContent()).toBe(shownBirthday(birthday));
      expect(await cell.locator(".cell-sub").textContent()).toMatch(/^age \d+$/);
      shown.push(await cell.textContent());
    }
    expect(new Set(shown).size).toBe(birthdays.length);

    // With the record open beside it the list keeps the name, the date of birth and more than three others.
    await openByName(page, namesakes.ids[0] as number);
    const headers = await columnHeaders(page);
    expect(headers.slice(0, 2)).toEqual(["Name", "Date of birth"]);
    expect(headers).toEqual(expect.arrayContaining(["Phone", "Status"]));
    expect(headers.length).toBeGreaterThan(4);
    expect(await cutListText(page)).toEqual([]);
    await page.context().close();
  });
});

describe("phones and emails", () => {
  it("reads phones in the clinic country's national format and emails in lower case, as links, keeping what was typed", async () => {
    const [brooklyn, madrid] = await Promise.all([aPatient(), aPatient()]);
    const { db } = running.chairside;
    await db.sql(
      "update patient set phone = '917.555.0180', email = 'Mia.OBrien@Example.COM', clinic_id = 1 where id = $1",
      [brooklyn.id],
    );
    const [{ id: madridClinic }] = (await db.sql<{ id: number }>("select id from clinic where phone like '+34%'")) as [
      { id: number },
    ];
    await db.sql("update patient set phone = '0034 648788539', clinic_id = $2 where id = $1", [
      madrid.id,
      madridClinic,
    ]);

    const { page } = await newPage(running.browser, SIZES.desktop);
    await openList(page, "owner", search(brooklyn));
    const phone = row(page, brooklyn.id).locator("td.cell-phone a");
    const email = row(page, brooklyn.id).locator("td.cell-email a");
    expect(await phone.textContent()).toBe("(917) 555-0180");
    expect(await phone.getAttribute("href")).toBe("tel:+19175550180");
    expect(await email.textContent()).toBe("mia.obrien@example.com");
    expect(await email.getAttribute("href")).toBe("mailto:mia.obrien@example.com");

    // The record reads them the same way; the form and the database keep what was typed.
    await openByName(page, brooklyn.id);
    const details = drawer(page, brooklyn.id).locator(".record-details");
    expect(await details.locator('a[href="tel:+19175550180"]').textContent()).toBe("(917) 555-0180");
    expect(await details.locator('a[href="mailto:mia.obrien@example.com"]').textContent()).toBe(
      "mia.obrien@example.com",
    );
    await startEditing(page, brooklyn.id);
    expect(await field(page, brooklyn.id, "Phone").inputValue()).toBe("917.555.0180");
    expect(await field(page, brooklyn.id, "Email").inputValue()).toBe("Mia.OBrien@Example.COM");
    const [stored] = await db.sql<{ phone: string; email: string }>("select phone, email from patient where id = $1", [
      brooklyn.id,
    ]);
    expect(stored).toEqual({ phone: "917.555.0180", email: "Mia.OBrien@Example.COM" });

    // A Madrid patient's number reads as Spain writes it, and dials with Spain's code.
    await page.goto(`${running.chairside.url}${search(madrid)}`);
    await waitForRows(page);
    const madridPhone = row(page, madrid.id).locator("td.cell-phone a");
    expect(await madridPhone.textContent()).toBe("648 78 85 39");
    expect(await madridPhone.getAttribute("href")).toBe("tel:+34648788539");
    await page.context().close();
  });

  it("calls or writes from a row without opening the record, while the keyboard still selects and opens rows", async () => {
    const { page } = await newPage(running.browser, SIZES.desktop);
    await openList(page, "owner");
    const clicked: string[] = [];
    await page.exposeFunction("contactClicked", (href: string) => clicked.push(href));
    await page.evaluate(() =>
      document.addEventListener("click", (event) => {
        const link = event.target instanceof Element ? event.target.closest("a") : null;
        if (link?.href.startsWith("tel:") || link?.href.startsWith("mailto:")) {
          (window as unknown as { contactClicked(href: string): void }).contactClicked(link.href);
          event.preventDefault(); // the test browser has no phone or mail program to hand the link to
        }
      }),
    );
    const withPhone = rows(page)
      .filter({ has: page.locator("td.cell-phone a") })
      .first();
    await withPhone.locator("td.cell-phone a").click();
    const withEmail = rows(page)
      .filter({ has: page.locator("td.cell-email a") })
      .first();
    await withEmail.locator("td.cell-email a").click();
    await expect.poll(() => clicked.length).toBe(2);
    expect(clicked[0]).toMatch(/^tel:\+\d+$/);
    expect(clicked[1]).toMatch(/^mailto:[^A-Z]+$/);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(new URL(page.url()).searchParams.has("patient")).toBe(false);
    expect(await page.locator("aside.drawer").count()).toBe(0);

    const firstId = await rows(page).first().getAttribute("data-patient-id");
    await page.locator("#patient-grid").focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.locator("tr.patient-row[aria-selected='true']").getAttribute("data-patient-id")).toBe(firstId);
    await page.keyboard.press("Enter");
    await page.locator(`aside.drawer[data-patient-id="${firstId}"] .record-view`).waitFor();
    await page.context().close();
  });
});

describe("reading whole at desktop widths", () => {
  it("cuts no text in any cell at 1280x800 and 1920x1080, with and without the record open, and shows the clinic only to staff of several clinics", async () => {
    const { db } = running.chairside;
    // The longest values of the practice: a name, an email, a last visit's service and dentist.
    const longest = await db.sql<{ id: number; first_name: string; last_name: string }>(
      `(select id, first_name, last_name from patient where archived_at is null and clinic_id = 1
         order by length(email) desc nulls last, id limit 1)
       union all
       (select id, first_name, last_name from patient where archived_at is null and clinic_id = 1
         order by length(first_name || last_name) desc, id limit 1)
       union all
       (select p.id, p.first_name, p.last_name from patient p join appointment a on a.id = p.last_visit_id
          join service s on s.id = a.service_id join staff_member d on d.id = a.dentist_id
         where p.archived_at is null and p.clinic_id = 1 order by length(s.name || d.name) desc, p.id limit 1)`,
    );
    for (const [size, viewport] of Object.entries(SIZES)) {
      for (const account of ["owner", "receptionist"] as const) {
        const { page } = await newPage(running.browser, viewport);
        await openList(page, account);
        if (account === "owner") await saveScreenshot(page, `rows-list-${viewport.width}`);
        for (let screen = 0; screen < 8; screen++) {
          expect(await cutListText(page), `${account} at ${size}, screen ${screen}`).toEqual([]);
          await page.locator(".table-scroll").evaluate((list) => list.scrollBy(0, list.clientHeight));
          await page.evaluate(
            () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
          );
        }
        const headers = await columnHeaders(page);
        expect(headers.includes("Clinic"), `${account} at ${size}`).toBe(account === "owner");
        expect(headers, `${account} at ${size}`).toEqual(
          expect.arrayContaining(["Name", "Date of birth", "Phone", "Email", "Last visit", "Status"]),
        );
        for (const patient of longest) {
          await page.goto(`${running.chairside.url}${search(patient)}`);
          await waitForRows(page);
          expect(await cutListText(page), `${account} at ${size}, #${patient.id}`).toEqual([]);
        }
        await openByName(page, longest.at(-1)?.id as number);
        expect(await cutListText(page), `${account} at ${size} beside the record`).toEqual([]);
        expect((await columnHeaders(page)).slice(0, 2)).toEqual(["Name", "Date of birth"]);
        if (account === "owner") await saveScreenshot(page, `rows-drawer-${viewport.width}`);
        await page.context().close();
      }
    }
  });
});

describe("choosing columns", () => {
  it("lets each staff member show, hide and order the columns by keyboard, remembered per staff member in this browser", async () => {
    const { page, context } = await newPage(running.browser, SIZES.desktop);
    await openList(page, "receptionist");
    const usual = await columnHeaders(page);
    expect(usual[0]).toBe("Name");

    const chooser = page.getByRole("dialog", { name: "Columns" });
    await page.getByRole("button", { name: "Choose columns" }).focus();
    await page.keyboard.press("Enter");
    await chooser.waitFor();
    await chooser.getByRole("checkbox", { name: "Email" }).focus();
    await page.keyboard.press("Space");
    await chooser.getByRole("button", { name: "Move Phone up" }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter"); // already first among them: stays
    await expect
      .poll(() => columnHeaders(page))
      .toEqual(["Phone", ...usual.filter((h) => h !== "Phone" && h !== "Email")]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Move Phone up");
    // Escape closes the chooser and nothing else; the selection keys are the grid's again.
    await page.keyboard.press("Escape");
    await chooser.waitFor({ state: "hidden" });
    const chosen = await columnHeaders(page);

    await page.reload();
    await waitForRows(page);
    expect(await columnHeaders(page)).toEqual(chosen);

    // Someone else at the same desk keeps their own columns, and the first person's come back with them.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await signInWithForm(page, "owner");
    await waitForRows(page);
    const ownersColumns = await columnHeaders(page);
    expect(ownersColumns[0]).toBe("Name");
    expect(ownersColumns).toContain("Email");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await signInWithForm(page, "receptionist");
    await waitForRows(page);
    expect(await columnHeaders(page)).toEqual(chosen);
    const [{ id: receptionistId }] = (await running.chairside.db.sql<{ id: number }>(
      "select id from staff_member where email = $1",
      [DEMO_ACCOUNTS.receptionist],
    )) as [{ id: number }];
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys).toContain(`chairside.patient-columns.${receptionistId}`);
    await context.close();
  });
});

describe("on a phone", () => {
  it("keeps the header, every tab, each row's status and the open record on a 390x844 screen, without sideways scrolling", async () => {
    const page = await newPhonePage(running.browser);
    await openList(page, "owner");
    expect(await sidewaysScroll(page)).toBe(0);
    expect(await outsideViewport(page.getByRole("button", { name: "Sign out" }))).toBeNull();
    for (const tab of await page.getByRole("tab").all()) expect(await outsideViewport(tab)).toBeNull();
    const statuses = rows(page).locator("td.cell-status .badge");
    expect(await statuses.count()).toBeGreaterThan(5);
    for (const badge of await statuses.all()) expect(await outsideViewport(badge, { anyHeight: true })).toBeNull();
    expect(await page.locator(".table-scroll").evaluate((list) => list.scrollWidth <= list.clientWidth)).toBe(true);
    await saveScreenshot(page, "rows-list-390");

    const id = Number(await rows(page).nth(1).getAttribute("data-patient-id"));
    await row(page, id).locator(".patient-link").tap();
    const record = drawer(page, id);
    await drawerShown(page, id);
    expect(await sidewaysScroll(page)).toBe(0);
    expect(await outsideViewport(record)).toBeNull();
    for (const button of await record.getByRole("button").all()) {
      expect(await outsideViewport(button, { anyHeight: true })).toBeNull();
    }
    expect(await outsideViewport(page.getByRole("button", { name: "Sign out" }))).toBeNull();
    await saveScreenshot(page, "rows-drawer-390");
    await page.context().close();
  });

  it("shows the edit conflict's field labels on whole words", async () => {
    const patient = await aPatient();
    const [mine, theirs] = await Promise.all([newPage(running.browser, PHONE), newPage(running.browser)]);
    await Promise.all([
      openRecord(mine.page, running.chairside, patient.id),
      openRecord(theirs.page, running.chairside, patient.id),
    ]);
    await Promise.all([startEditing(mine.page, patient.id), startEditing(theirs.page, patient.id)]);
    await field(theirs.page, patient.id, "Phone").fill("(718) 555-0199");
    await field(theirs.page, patient.id, "Address").fill("1 Their Street, Brooklyn, NY 11201");
    await drawer(theirs.page, patient.id).getByRole("button", { name: "Save changes" }).click();
    await drawer(theirs.page, patient.id).locator(".record-view").waitFor();

    await field(mine.page, patient.id, "Date of birth").fill("1970-01-02");
    await field(mine.page, patient.id, "Email").fill("a.rather.long.address.for.a.phone@example.com");
    await drawer(mine.page, patient.id).getByRole("button", { name: "Save changes" }).click();
    const conflict = drawer(mine.page, patient.id).locator(".conflict-panel");
    await conflict.waitFor();
    const labels = conflict.locator("tbody th");
    expect(await labels.count()).toBe(4);
    for (const label of await labels.all())
      expect(await splitWords(label), (await label.textContent()) ?? "").toEqual([]);
    for (const note of await conflict.locator(".change-note").all()) expect(await splitWords(note)).toEqual([]);
    expect(await sidewaysScroll(mine.page)).toBe(0);
    await conflict.scrollIntoViewIfNeeded();
    await saveScreenshot(mine.page, "rows-conflict-390");
    await mine.context.close();
    await theirs.context.close();
  });
});
