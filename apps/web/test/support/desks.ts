// Desks: pages of their own (browser contexts) signed in once as the owner, and the changes staff make from the
// record beside the list, as a user makes them.

import type { TestDatabase } from "@chairside/db/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { DESKTOP, signInWithForm, waitForRows } from "./browser.ts";
import type { RunningChairside } from "./chairside.ts";
import { drawer } from "./record-page.ts";

export type DeskChange = "edit" | "archive" | "restore" | "complete a visit" | "cancel a visit" | "create";

/** Opens desks on a running Chairside: each a page of its own, signed in as the owner, showing `path`. */
export function deskOpener(running: () => { chairside: RunningChairside; browser: Browser }) {
  let signedIn: Awaited<ReturnType<BrowserContext["storageState"]>> | undefined;
  return async function openDesk(path: string): Promise<Page> {
    const context = await running().browser.newContext({
      viewport: DESKTOP,
      locale: "en-US",
      timezoneId: "America/New_York",
      ...(signedIn ? { storageState: signedIn } : {}),
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${running().chairside.url}${path}`);
    if (!signedIn) {
      await signInWithForm(page);
      signedIn = await context.storageState();
    }
    await waitForRows(page);
    await expect.poll(() => page.locator(".status-tab .tab-count").allTextContents()).not.toContain("–");
    return page;
  };
}

/**
 * Makes a change from the record beside the list (`patientId`'s drawer open), or registers a patient named
 * `name` (patientId null). An edit renames the patient to Zz<name>; visits are the patient's "confirmed" one.
 */
export async function makeChange(
  page: Page,
  change: DeskChange,
  patientId: number | null,
  name: string,
): Promise<void> {
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
  if (change === "edit") {
    await record.getByRole("button", { name: "Edit", exact: true }).click();
    await record.getByLabel("Last name", { exact: true }).fill(`Zz${name}`);
    await record.getByRole("button", { name: "Save changes" }).click();
    await record.locator(".record-view").waitFor();
  } else if (change === "archive") {
    await record.getByRole("button", { name: "Archive…" }).click();
    await record.getByRole("button", { name: "Archive", exact: true }).click();
    await record.getByRole("button", { name: "Restore" }).waitFor();
  } else if (change === "restore") {
    await record.getByRole("button", { name: "Restore" }).click();
    await record.getByRole("button", { name: "Archive…" }).waitFor();
  } else {
    await record.locator(".history").scrollIntoViewIfNeeded();
    const visit = record.locator('.history-item[data-status="confirmed"]');
    if (change === "complete a visit") {
      await visit.getByRole("button", { name: /^Complete the appointment/ }).click();
      await record.locator('.history-item[data-status="completed"]').first().waitFor();
    } else {
      await visit.getByRole("button", { name: /^Cancel the appointment/ }).click();
      await record.getByRole("button", { name: "Cancel appointment" }).click();
      await record.locator('.history-item[data-status="cancelled"]').first().waitFor();
    }
  }
}

export type Status = "active" | "inactive" | "new";

/** Well inside each status (the rule itself is 730 days in the clinic's time zone). */
const STATUS_SQL: Record<Status, string> = {
  active: "last_visit_at > now() - interval '700 days'",
  inactive: "last_visit_at < now() - interval '760 days'",
  new: "last_visit_at is null",
};

/**
 * Hands out patients named to the top of the name order (each before every earlier one, so that it is among the
 * first rows of its tabs), with a "confirmed" visit booked when asked: begun an hour ago, or in three days.
 */
export function topPatients(db: () => TestDatabase) {
  let handedOut = 0;
  const used: number[] = [0];
  const nextName = () => {
    const index = handedOut++;
    return `Aa${String.fromCharCode(122 - Math.floor(index / 26))}${String.fromCharCode(122 - (index % 26))}`;
  };
  return {
    nextName,
    async next(wanted: { status: Status; archived: boolean; visit?: "begun" | "upcoming" }) {
      const name = nextName();
      const [patient] = await db().sql<{ id: number; clinic_id: number }>(
        `select id, clinic_id from patient
          where ${STATUS_SQL[wanted.status]} and (archived_at is not null) = $1 and id <> all($2::int[])
          order by id limit 1`,
        [wanted.archived, used],
      );
      if (!patient) throw new Error(`no ${wanted.archived ? "archived " : ""}${wanted.status} patient left`);
      used.push(patient.id);
      await db().sql("update patient set last_name = $1, version = version + 1 where id = $2", [name, patient.id]);
      if (wanted.visit) {
        const starts = wanted.visit === "begun" ? "now() - interval '1 hour'" : "now() + interval '3 days'";
        await db().sql(
          `insert into appointment (patient_id, dentist_id, service_id, clinic_id, starts_at, status, notes, created_at, updated_at)
           select $1, m.id, (select min(id) from service), $2, ${starts}, 'confirmed', '', now(), now()
             from staff_member m join staff_member_clinics c on c.staff_member_id = m.id
            where m.role = 'dentist' and c.clinic_id = $2 order by m.id limit 1`,
          [patient.id, patient.clinic_id],
        );
      }
      return { patientId: patient.id, name };
    },
  };
}
