// Every change made from the record keeps the list beside it true: for each mutation, seen from each tab, the rows
// on screen and the tab counts end up exactly what a fresh page shows, without a reload or a tab switch.
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DESKTOP, signInWithForm, waitForRows } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { drawer } from "./support/record-page.ts";

const running = runChairsideAndBrowser();

const TABS = ["all", "active", "inactive", "new", "archived"] as const;
type Tab = (typeof TABS)[number];
const MUTATIONS = ["edit", "archive", "restore", "complete a visit", "cancel a visit", "create"] as const;
type Mutation = (typeof MUTATIONS)[number];
type Status = "active" | "inactive" | "new";

/** Which patient a mutation is tried on, seen from a tab: one the tab shows where that makes sense. */
function subjectOf(mutation: Mutation, tab: Tab): { status: Status; archived: boolean } {
  const tabStatus: Status = tab === "all" || tab === "archived" ? "active" : tab;
  switch (mutation) {
    case "edit":
    case "cancel a visit":
      return { status: tabStatus, archived: tab === "archived" };
    case "archive":
      return { status: tabStatus, archived: false };
    case "restore":
      return { status: tabStatus, archived: true };
    default:
      // Completing a visit moves an inactive patient to Active, and a new one out of New.
      return { status: tab === "new" ? "new" : "inactive", archived: false };
  }
}

/** Well inside each status (the rule itself is 730 days in the clinic's time zone). */
const STATUS_SQL: Record<Status, string> = {
  active: "last_visit_at > now() - interval '700 days'",
  inactive: "last_visit_at < now() - interval '760 days'",
  new: "last_visit_at is null",
};

let cases = 0;
const used: number[] = [0];
/** A last name that sorts before every earlier case's, so that the patient is among the first rows of its tabs. */
const topName = (index: number) =>
  `Aa${String.fromCharCode(122 - Math.floor(index / 26))}${String.fromCharCode(122 - (index % 26))}`;

/** Picks the case's patient, names them to the top of the list, and books the visit the case needs. */
async function prepare(mutation: Mutation, tab: Tab): Promise<{ patientId: number | null; name: string }> {
  const name = topName(cases++);
  if (mutation === "create") return { patientId: null, name };
  const db = running.chairside.db;
  const { status, archived } = subjectOf(mutation, tab);
  const [patient] = await db.sql<{ id: number; clinic_id: number }>(
    `select id, clinic_id from patient
      where ${STATUS_SQL[status]} and (archived_at is not null) = $1 and id <> all($2::int[])
      order by id limit 1`,
    [archived, used],
  );
  if (!patient) throw new Error(`no ${archived ? "archived " : ""}${status} patient left`);
  used.push(patient.id);
  await db.sql("update patient set last_name = $1, version = version + 1 where id = $2", [name, patient.id]);
  if (mutation === "complete a visit" || mutation === "cancel a visit") {
    const starts = mutation === "complete a visit" ? "now() - interval '1 hour'" : "now() + interval '3 days'";
    await db.sql(
      `insert into appointment (patient_id, dentist_id, service_id, clinic_id, starts_at, status, notes, created_at, updated_at)
       select $1, m.id, (select min(id) from service), $2, ${starts}, 'confirmed', '', now(), now()
         from staff_member m join staff_member_clinics c on c.staff_member_id = m.id
        where m.role = 'dentist' and c.clinic_id = $2 order by m.id limit 1`,
      [patient.id, patient.clinic_id],
    );
  }
  return { patientId: patient.id, name };
}

let signedIn: Awaited<ReturnType<BrowserContext["storageState"]>> | undefined;

/** A page of its own (a desk), signed in as the owner, showing `path`. */
async function openDesk(path: string): Promise<Page> {
  const context = await running.browser.newContext({
    viewport: DESKTOP,
    locale: "en-US",
    timezoneId: "America/New_York",
    ...(signedIn ? { storageState: signedIn } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${running.chairside.url}${path}`);
  if (!signedIn) {
    await signInWithForm(page);
    signedIn = await context.storageState();
  }
  await waitForRows(page);
  await expect.poll(() => page.locator(".status-tab .tab-count").allTextContents()).not.toContain("–");
  return page;
}

/** What the list shows: each row on screen (its id and text) and every tab's count. */
async function shown(page: Page): Promise<{ rows: string[]; counts: string[] }> {
  const rows = await page
    .locator("#patient-grid tbody tr.patient-row")
    .evaluateAll((elements) =>
      elements.map((element) => `${element.getAttribute("data-patient-id")} ${element.textContent}`),
    );
  return { rows, counts: await page.locator(".status-tab .tab-count").allTextContents() };
}

async function mutate(page: Page, mutation: Mutation, patientId: number | null, name: string): Promise<void> {
  if (patientId === null) {
    await page.getByRole("button", { name: "New patient" }).click();
    const dialog = page.getByRole("dialog", { name: "New patient" });
    await dialog.getByLabel("First name").fill("Wren");
    await dialog.getByLabel("Last name").fill(name);
    const clinics = await dialog.getByLabel("Clinic").locator("option").allTextContents();
    await dialog.getByLabel("Clinic").selectOption({ label: clinics[1] ?? "" });
    await dialog.getByRole("button", { name: "Create patient" }).click();
    await page.waitForURL((url) => url.searchParams.has("patient"));
    return;
  }
  const record = drawer(page, patientId);
  await record.locator(".record-view").waitFor();
  if (mutation === "edit") {
    await record.getByRole("button", { name: "Edit", exact: true }).click();
    await record.getByLabel("Last name", { exact: true }).fill(`Zz${name}`);
    await record.getByRole("button", { name: "Save changes" }).click();
    await record.locator(".record-view").waitFor();
  } else if (mutation === "archive") {
    await record.getByRole("button", { name: "Archive…" }).click();
    await record.getByRole("button", { name: "Archive", exact: true }).click();
    await record.getByRole("button", { name: "Restore" }).waitFor();
  } else if (mutation === "restore") {
    await record.getByRole("button", { name: "Restore" }).click();
    await record.getByRole("button", { name: "Archive…" }).waitFor();
  } else {
    await record.locator(".history").scrollIntoViewIfNeeded();
    const visit = record.locator('.history-item[data-status="confirmed"]');
    if (mutation === "complete a visit") {
      await visit.getByRole("button", { name: /^Complete the appointment/ }).click();
      await record.locator('.history-item[data-status="completed"]').first().waitFor();
    } else {
      await visit.getByRole("button", { name: /^Cancel the appointment/ }).click();
      await record.getByRole("button", { name: "Cancel appointment" }).click();
      await record.locator('.history-item[data-status="cancelled"]').first().waitFor();
    }
  }
}

describe("the list after a change made beside it", () => {
  for (const mutation of MUTATIONS) {
    it.each(TABS)(`${mutation}, seen from the %s tab: the rows and counts a fresh page shows`, async (tab) => {
      const { patientId, name } = await prepare(mutation, tab);
      const query = new URLSearchParams(tab === "all" ? {} : { status: tab });
      if (patientId !== null) query.set("patient", String(patientId));
      const desk = await openDesk(`/?${query}`);
      await mutate(desk, mutation, patientId, name);

      const fresh = await openDesk(new URL(desk.url()).pathname + new URL(desk.url()).search);
      const truth = await shown(fresh);
      await expect.poll(() => shown(desk)).toEqual(truth);
      await Promise.all([desk.context().close(), fresh.context().close()]);
    });
  }
});
