// Every change made from the record keeps the list beside it true: for each mutation, seen from each tab, the rows
// on screen and the tab counts end up exactly what a fresh page shows, without a reload or a tab switch.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { type DeskChange, deskOpener, makeChange, type Status, topPatients } from "./support/desks.ts";

const running = runChairsideAndBrowser();

const TABS = ["all", "active", "inactive", "new", "archived"] as const;
type Tab = (typeof TABS)[number];
const MUTATIONS = ["edit", "archive", "restore", "complete a visit", "cancel a visit", "create"] as const;
type Mutation = DeskChange;

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

const patients = topPatients(() => running.chairside.db);

/** The case's patient, at the top of the list, with the visit the case needs. */
async function prepare(mutation: Mutation, tab: Tab): Promise<{ patientId: number | null; name: string }> {
  if (mutation === "create") return { patientId: null, name: patients.nextName() };
  const visit = mutation === "complete a visit" ? "begun" : mutation === "cancel a visit" ? "upcoming" : undefined;
  return patients.next({ ...subjectOf(mutation, tab), ...(visit ? { visit } : {}) });
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

const openDesk = deskOpener(() => running);

describe("the list after a change made beside it", () => {
  for (const mutation of MUTATIONS) {
    it.each(TABS)(`${mutation}, seen from the %s tab: the rows and counts a fresh page shows`, async (tab) => {
      const { patientId, name } = await prepare(mutation, tab);
      const query = new URLSearchParams(tab === "all" ? {} : { status: tab });
      if (patientId !== null) query.set("patient", String(patientId));
      const desk = await openDesk(`/?${query}`);
      await makeChange(desk, mutation, patientId, name);

      const fresh = await openDesk(new URL(desk.url()).pathname + new URL(desk.url()).search);
      const truth = await shown(fresh);
      await expect.poll(() => shown(desk)).toEqual(truth);
      await Promise.all([desk.context().close(), fresh.context().close()]);
    });
  }
});
