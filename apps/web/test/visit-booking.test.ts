// Booking and moving a patient's visits from the record: the time typed is the clinic's wherever the browser is,
// the record's "Next appointment" and the history follow at once, the dentist's clash is refused at the time field,
// a move overtaken by someone else's change says so, and a dentist books only themselves.
import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  type DemoAccount,
  newPage,
  openSignedIn,
  saveScreenshot,
  seriousAccessibilityProblems,
} from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { drawer } from "./support/record-page.ts";

const running = runChairsideAndBrowser();
const CLINIC = { id: 1, timeZone: "America/New_York" };
const db = () => running.chairside.db;

let patients = 0;
/** A patient of clinic 1 registered just now: no visit, nothing booked. */
async function newPatient(): Promise<{ id: number; name: string }> {
  const lastName = `Bookwright${String.fromCharCode(97 + patients)}`;
  patients++;
  const [row] = await db().sql<{ id: number }>(
    `insert into patient (first_name, last_name, clinic_id, created_at, updated_at)
      values ('Ada', $1, $2, now(), now()) returning id`,
    [lastName, CLINIC.id],
  );
  return { id: row?.id as number, name: `Ada ${lastName}` };
}

async function idOf(text: string, values: unknown[] = []): Promise<number> {
  const [row] = await db().sql<{ id: number }>(text, values);
  if (!row) throw new Error(`nothing for ${text}`);
  return row.id;
}
const dentistNamed = (name: string) => idOf("select id from staff_member where name = $1", [name]);
/** A dentist of clinic 1 other than the demo dentist, with their name. */
async function colleague(): Promise<{ id: number; name: string }> {
  const [row] = await db().sql<{ id: number; name: string }>(
    `select m.id, m.name from staff_member m join staff_member_clinics c on c.staff_member_id = m.id
      where m.role = 'dentist' and not m.archived and c.clinic_id = $1 and m.email <> 'dentist@chairside.test'
      order by m.id limit 1`,
    [CLINIC.id],
  );
  if (!row) throw new Error("no colleague");
  return row;
}

/** A day of the clinic's calendar `days` from today, far beyond the seeded diary. */
async function clinicDay(days: number): Promise<string> {
  const [row] = await db().sql<{ day: string }>(
    "select to_char((now() at time zone $1)::date + $2::int, 'YYYY-MM-DD') as day",
    [CLINIC.timeZone, days],
  );
  return row?.day as string;
}

/** The instant the clinic's clocks show `time` on `day`, as PostgreSQL reckons it. */
async function clinicInstant(day: string, time: string): Promise<Date> {
  const [row] = await db().sql<{ at: Date }>("select ($1 || ' ' || $2)::timestamp at time zone $3 as at", [
    day,
    time,
    CLINIC.timeZone,
  ]);
  return new Date(row?.at as Date);
}

/** How the record writes an instant (en-US, the clinic's zone), with every kind of space as one. */
const shown = (instant: Date) =>
  new Intl.DateTimeFormat("en-US", {
    timeZone: CLINIC.timeZone,
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  })
    .format(instant)
    .replace(/\s/g, " ");
const text = async (locator: ReturnType<Page["locator"]>) => ((await locator.textContent()) ?? "").replace(/\s/g, " ");

async function openRecordAs(page: Page, patient: { id: number; name: string }, account: DemoAccount) {
  const query = new URLSearchParams({ q: patient.name, patient: String(patient.id) });
  await openSignedIn(page, running.chairside.url, account, `/?${query}`);
  await drawer(page, patient.id).locator(".record-view").waitFor();
  await drawer(page, patient.id).locator(".history").scrollIntoViewIfNeeded();
}

/** A page whose browser is in another zone than the clinic's, so that only the clinic's zone can be right. */
async function pageInTokyo(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: "en-US", timezoneId: "Asia/Tokyo" });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

const visitDialog = (page: Page) => page.getByRole("dialog");
const dialogField = (page: Page, label: string) => visitDialog(page).getByLabel(label, { exact: true });
/** The issue shown beside a dialog field (the first element its aria-describedby names). */
async function issueAt(page: Page, label: string): Promise<string | null> {
  const describedBy = (await dialogField(page, label).getAttribute("aria-describedby"))?.split(" ")[0];
  return describedBy ? page.locator(`[id="${describedBy}"]`).textContent() : null;
}
const historyItem = (page: Page, patientId: number, appointmentId: number) =>
  drawer(page, patientId).locator(`.history-item[data-appointment-id="${appointmentId}"]`);

async function storedVisits(patientId: number) {
  return db().sql<{ id: number; starts_at: Date; dentist_id: number; service_id: number; status: string }>(
    "select id, starts_at, dentist_id, service_id, status from appointment where patient_id = $1 order by id",
    [patientId],
  );
}

/** Puts a visit straight into the database, as another desk would have booked it. */
async function bookInDatabase(patientId: number, dentistId: number, startsAt: Date, serviceName = "Crown") {
  return idOf(
    `insert into appointment (patient_id, dentist_id, service_id, clinic_id, starts_at, status, notes, created_at, updated_at)
      select $1, $2, s.id, $3, $4, 'confirmed', '', now(), now() from service s where s.name = $5 returning id`,
    [patientId, dentistId, CLINIC.id, startsAt, serviceName],
  );
}

describe("booking from the record", () => {
  it("books a new patient's next visit at the clinic's time, shown in Next appointment and the history at once", async () => {
    const patient = await newPatient();
    const dentist = await colleague();
    const page = await pageInTokyo(running.browser);
    await openRecordAs(page, patient, "receptionist");
    const record = drawer(page, patient.id);
    expect(await text(record.locator("#next-visit-heading + p"))).toBe("None booked");
    await record.getByText("No appointments yet.").waitFor();

    await record.getByRole("button", { name: "Book a visit" }).click();
    await visitDialog(page).waitFor();
    expect(await visitDialog(page).getAttribute("aria-labelledby")).toBeTruthy();
    expect(await page.getByRole("dialog", { name: `Book a visit for ${patient.name}` }).count()).toBe(1);
    // Nothing chosen yet: the form says what is missing, beside each field, and sends nothing.
    let sent = 0;
    let historyReads = 0;
    page.on("request", (request) => {
      const url = decodeURIComponent(request.url());
      if (url.includes("appointments.create") || url.includes("appointments.reschedule")) sent++;
      if (url.includes("appointments.listByPatient")) historyReads++;
    });
    await visitDialog(page).getByRole("button", { name: "Book visit" }).click();
    expect(await issueAt(page, "Service")).toBe("Choose a service");
    expect(await issueAt(page, "Time")).toBe("Choose a time");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("serviceId");
    expect(sent).toBe(0);

    const day = await clinicDay(200);
    await dialogField(page, "Service").selectOption({ label: "Dental exam (30 min)" });
    await dialogField(page, "Dentist").selectOption(String(dentist.id));
    await dialogField(page, "Date").fill(day);
    await dialogField(page, "Time").fill("09:30");
    expect(await text(visitDialog(page).locator(".field-hint"))).toBe("Until 10:00 AM");
    await dialogField(page, "Notes").fill("First visit: check-up requested");
    await saveScreenshot(page, "visit-book");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    historyReads = 0;
    await visitDialog(page).getByRole("button", { name: "Book visit" }).click();
    await visitDialog(page).waitFor({ state: "detached" });

    const startsAt = await clinicInstant(day, "09:30");
    const [stored] = await storedVisits(patient.id);
    expect(stored).toMatchObject({ starts_at: startsAt, dentist_id: dentist.id, status: "pending" });
    await expect.poll(() => text(record.locator("#next-visit-heading + p"))).toBe(shown(startsAt));
    expect(await text(record.locator("#next-visit-heading ~ p.muted"))).toContain(`Dental exam · ${dentist.name}`);
    const item = historyItem(page, patient.id, stored?.id as number);
    expect(await text(item.locator(".history-date"))).toBe(shown(startsAt));
    // The history took the booking from its answer: it was not read again.
    expect(historyReads).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Book a visit");

    // Moving it: the same form, at the visit's time, with the time and dentist to change.
    await item.getByRole("button", { name: /^Move the appointment of/ }).click();
    expect(await dialogField(page, "Time").inputValue()).toBe("09:30");
    expect(await dialogField(page, "Date").inputValue()).toBe(day);
    expect(await dialogField(page, "Service").isDisabled()).toBe(true);
    const later = await clinicDay(201);
    await dialogField(page, "Date").fill(later);
    await dialogField(page, "Time").fill("14:15");
    await visitDialog(page).getByRole("button", { name: "Move visit" }).click();
    await visitDialog(page).waitFor({ state: "detached" });
    const movedTo = await clinicInstant(later, "14:15");
    expect((await storedVisits(patient.id))[0]).toMatchObject({ starts_at: movedTo, dentist_id: dentist.id });
    await expect.poll(() => text(item.locator(".history-date"))).toBe(shown(movedTo));
    await expect.poll(() => text(record.locator("#next-visit-heading + p"))).toBe(shown(movedTo));
    expect(historyReads).toBe(0);
    await page.context().close();
  });

  it("refuses a time the dentist is busy, with the message at the time field, on booking and on moving", async () => {
    const patient = await newPatient();
    const other = await newPatient();
    const dentist = await colleague();
    const day = await clinicDay(210);
    // Another patient's crown, 10:00-11:30 at the clinic.
    const busy = await bookInDatabase(other.id, dentist.id, await clinicInstant(day, "10:00"));
    const page = await pageInTokyo(running.browser);
    await openRecordAs(page, patient, "receptionist");
    const record = drawer(page, patient.id);

    await record.getByRole("button", { name: "Book a visit" }).click();
    await dialogField(page, "Service").selectOption({ label: "Filling (45 min)" });
    await dialogField(page, "Dentist").selectOption(String(dentist.id));
    await dialogField(page, "Date").fill(day);
    await dialogField(page, "Time").fill("11:00");
    await visitDialog(page).getByRole("button", { name: "Book visit" }).click();
    await expect.poll(() => dialogField(page, "Time").getAttribute("aria-invalid")).toBe("true");
    expect((await issueAt(page, "Time"))?.replace(/\s/g, " ")).toBe(
      `${dentist.name} already has a visit from 10:00 AM to 11:30 AM (Crown); choose another time`,
    );
    // The focus is on the time, so its message is read with it; the summary is announced, and nothing was booked.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("time");
    expect(await visitDialog(page).getByRole("alert").textContent()).toMatch(
      /not booked: see the message beside the time/,
    );
    expect(await storedVisits(patient.id)).toEqual([]);
    await saveScreenshot(page, "visit-clash");

    // A free time books (Enter sends the form); moving it onto the busy time is refused the same way, and it
    // stays where it was.
    await dialogField(page, "Time").fill("11:30");
    expect(await dialogField(page, "Time").getAttribute("aria-invalid")).toBe("false");
    await dialogField(page, "Time").press("Enter");
    await visitDialog(page).waitFor({ state: "detached" });
    const [booked] = await storedVisits(patient.id);
    expect(booked?.starts_at).toEqual(await clinicInstant(day, "11:30"));

    await historyItem(page, patient.id, booked?.id as number)
      .getByRole("button", { name: /^Move/ })
      .click();
    await dialogField(page, "Time").fill("09:30");
    await visitDialog(page).getByRole("button", { name: "Move visit" }).click();
    await expect.poll(() => issueAt(page, "Time")).toMatch(/already has a visit from 10:00\sAM to 11:30\sAM/);
    expect((await storedVisits(patient.id))[0]?.starts_at).toEqual(await clinicInstant(day, "11:30"));
    expect((await storedVisits(other.id)).map((visit) => visit.id)).toEqual([busy]);
    await page.context().close();
  });

  it("says when someone else changed the visit first, and moves it anyway or keeps their change", async () => {
    const patient = await newPatient();
    const dentist = await colleague();
    const day = await clinicDay(220);
    const visit = await bookInDatabase(patient.id, dentist.id, await clinicInstant(day, "09:00"), "Dental exam");
    const page = await pageInTokyo(running.browser);
    await openRecordAs(page, patient, "receptionist");
    const item = historyItem(page, patient.id, visit);

    await item.getByRole("button", { name: /^Move/ }).click();
    await dialogField(page, "Time").fill("15:00");
    // Meanwhile another desk moves it to 12:00.
    await db().sql("update appointment set starts_at = $2 where id = $1", [visit, await clinicInstant(day, "12:00")]);
    await visitDialog(page).getByRole("button", { name: "Move visit" }).click();
    const warning = visitDialog(page).getByRole("alert");
    await expect.poll(() => warning.textContent()).toMatch(/Someone else changed this visit first/);
    expect((await warning.textContent())?.replace(/\s/g, " ")).toContain(
      `It is now ${shown(await clinicInstant(day, "12:00"))} with ${dentist.name} (Confirmed)`,
    );
    expect((await storedVisits(patient.id))[0]?.starts_at).toEqual(await clinicInstant(day, "12:00"));
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await warning.getByRole("button", { name: "Move it anyway" }).click();
    await visitDialog(page).waitFor({ state: "detached" });
    expect((await storedVisits(patient.id))[0]?.starts_at).toEqual(await clinicInstant(day, "15:00"));
    await expect.poll(() => text(item.locator(".history-date"))).toBe(shown(await clinicInstant(day, "15:00")));

    // Keeping their change shows the visit as it is now, and moves nothing.
    await item.getByRole("button", { name: /^Move/ }).click();
    await dialogField(page, "Time").fill("16:00");
    await db().sql("update appointment set starts_at = $2 where id = $1", [visit, await clinicInstant(day, "08:00")]);
    await visitDialog(page).getByRole("button", { name: "Move visit" }).click();
    await visitDialog(page).getByRole("button", { name: "Keep their change" }).click();
    await visitDialog(page).waitFor({ state: "detached" });
    await expect.poll(() => text(item.locator(".history-date"))).toBe(shown(await clinicInstant(day, "08:00")));
    expect((await storedVisits(patient.id))[0]?.starts_at).toEqual(await clinicInstant(day, "08:00"));
    await page.context().close();
  });

  it("lets a dentist book only themselves, and move only their own visits", async () => {
    const patient = await newPatient();
    const daniel = await dentistNamed("Daniel Okafor");
    const other = await colleague();
    const day = await clinicDay(230);
    const colleagues = await bookInDatabase(patient.id, other.id, await clinicInstant(day, "08:00"), "Dental exam");
    const { page } = await newPage(running.browser);
    await openRecordAs(page, patient, "dentist");
    await historyItem(page, patient.id, colleagues).waitFor();
    expect(await historyItem(page, patient.id, colleagues).getByRole("button", { name: /^Move/ }).count()).toBe(0);

    await drawer(page, patient.id).getByRole("button", { name: "Book a visit" }).click();
    const choices = () =>
      dialogField(page, "Dentist")
        .locator("option")
        .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    await expect.poll(choices).toEqual([String(daniel)]);
    expect(await dialogField(page, "Dentist").inputValue()).toBe(String(daniel));
    await dialogField(page, "Service").selectOption({ label: "X-rays (15 min)" });
    await dialogField(page, "Date").fill(day);
    await dialogField(page, "Time").fill("13:00");
    await visitDialog(page).getByRole("button", { name: "Book visit" }).click();
    await visitDialog(page).waitFor({ state: "detached" });
    const own = (await storedVisits(patient.id)).find((visit) => visit.id !== colleagues);
    expect(own).toMatchObject({ dentist_id: daniel, starts_at: await clinicInstant(day, "13:00") });
    await historyItem(page, patient.id, own?.id as number)
      .getByRole("button", { name: /^Move/ })
      .waitFor();
    await page.context().close();
  });

  it("puts the booking and the move in the record's activity, for the owner", async () => {
    const patient = await newPatient();
    const dentist = await colleague();
    const day = await clinicDay(240);
    const page = await pageInTokyo(running.browser);
    await openRecordAs(page, patient, "owner");
    await drawer(page, patient.id).getByRole("button", { name: "Book a visit" }).click();
    await dialogField(page, "Service").selectOption({ label: "Dental exam (30 min)" });
    await dialogField(page, "Dentist").selectOption(String(dentist.id));
    await dialogField(page, "Date").fill(day);
    await dialogField(page, "Time").fill("10:00");
    await visitDialog(page).getByRole("button", { name: "Book visit" }).click();
    await visitDialog(page).waitFor({ state: "detached" });
    const [booked] = await storedVisits(patient.id);
    await historyItem(page, patient.id, booked?.id as number)
      .getByRole("button", { name: /^Move/ })
      .click();
    await dialogField(page, "Time").fill("10:30");
    await visitDialog(page).getByRole("button", { name: "Move visit" }).click();
    await visitDialog(page).waitFor({ state: "detached" });

    const [at10, at1030] = [await clinicInstant(day, "10:00"), await clinicInstant(day, "10:30")];
    const activity = drawer(page, patient.id).getByRole("list", { name: "Activity" });
    await activity.scrollIntoViewIfNeeded();
    const texts = async () =>
      (await activity.locator(".activity-what").allTextContents()).map((entry) => entry.replace(/\s/g, " "));
    await expect.poll(texts).toContain(`Moved a visit from ${shown(at10)} to ${shown(at1030)}`);
    expect(await texts()).toContain(`Booked a visit for ${shown(at10)}`);
    await page.context().close();
  });

  it("says so when the patient was archived meanwhile, and books nothing", async () => {
    const patient = await newPatient();
    const dentist = await colleague();
    const page = await pageInTokyo(running.browser);
    await openRecordAs(page, patient, "receptionist");
    await drawer(page, patient.id).getByRole("button", { name: "Book a visit" }).click();
    await dialogField(page, "Service").selectOption({ label: "X-rays (15 min)" });
    await dialogField(page, "Dentist").selectOption(String(dentist.id));
    await dialogField(page, "Date").fill(await clinicDay(250));
    await dialogField(page, "Time").fill("12:00");
    await db().sql("update patient set archived_at = now() where id = $1", [patient.id]);
    await visitDialog(page).getByRole("button", { name: "Book visit" }).click();
    await expect
      .poll(() => visitDialog(page).getByRole("alert").textContent())
      .toBe("The patient is archived; restore their record first.");
    expect(await storedVisits(patient.id)).toEqual([]);
    await page.context().close();
  });

  it("fits a phone: the dialog stays inside 390 px, one column, and accessible", async () => {
    const patient = await newPatient();
    const page = await pageInTokyo(running.browser, { width: 390, height: 844 });
    await openRecordAs(page, patient, "receptionist");
    await drawer(page, patient.id).getByRole("button", { name: "Book a visit" }).click();
    await visitDialog(page).waitFor();
    await visitDialog(page).getByRole("button", { name: "Book visit" }).click();
    await expect.poll(() => issueAt(page, "Service")).toBe("Choose a service");
    const box = await visitDialog(page).boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    const overflows = await visitDialog(page).evaluate((dialog) =>
      [dialog, ...dialog.querySelectorAll("*")].some((element) => element.scrollWidth > element.clientWidth + 1),
    );
    expect(overflows).toBe(false);
    const [date, time] = [await dialogField(page, "Date").boundingBox(), await dialogField(page, "Time").boundingBox()];
    expect(time && date && time.y > date.y).toBe(true);
    await saveScreenshot(page, "visit-book-phone");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await visitDialog(page).waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Book a visit");
    await page.context().close();
  });
});
