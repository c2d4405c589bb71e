// The open record in the browser: opening it beside a list that holds the patient's row, its fields and errors.
import type { Page } from "playwright-core";
import { openSignedIn } from "./browser.ts";
import type { RunningChairside } from "./chairside.ts";
import { patientById } from "./practice.ts";

export const drawer = (page: Page, id: number) => page.locator(`aside.drawer[data-patient-id="${id}"]`);
export const row = (page: Page, id: number) => page.locator(`#patient-grid tr[data-patient-id="${id}"]`);

/** Opens the app with the patient's record open beside a list that holds their row. */
export async function openRecord(
  page: Page,
  chairside: RunningChairside,
  id: number,
  account: "owner" | "receptionist" = "owner",
): Promise<void> {
  const patient = await patientById(chairside.db, id);
  const query = new URLSearchParams({ q: `${patient.first_name} ${patient.last_name}`, patient: String(id) });
  await openSignedIn(page, chairside.url, account, `/?${query}`);
  await drawer(page, id).locator(".record-view").waitFor();
}

export async function startEditing(page: Page, id: number): Promise<void> {
  await drawer(page, id).getByRole("button", { name: "Edit", exact: true }).click();
  await drawer(page, id).getByRole("form", { name: "Edit patient" }).waitFor();
}

export const field = (page: Page, id: number, label: string) => drawer(page, id).getByLabel(label, { exact: true });

/** The error shown beside a field (its aria-describedby). */
export async function fieldError(page: Page, id: number, label: string): Promise<string | null> {
  const input = field(page, id, label);
  const describedBy = await input.getAttribute("aria-describedby");
  return describedBy ? page.locator(`[id="${describedBy}"]`).textContent() : null;
}
