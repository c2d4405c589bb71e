// The patient's record beside the list: reading it and its appointments (accessibly), archiving and restoring,
// and settling appointments, with the list row following every change without a reload.
import { HISTORY_PAGE_SIZE } from "@chairside/db/schemas";
import { describe, expect, it } from "vitest";
import { newPage, openSignedIn, saveScreenshot, seriousAccessibilityProblems, waitForRows } from "./support/browser.ts";
import { runChairsideAndBrowser } from "./support/chairside.ts";
import { distinctPatients } from "./support/practice.ts";
import { drawer, openRecord, row } from "./support/record-page.ts";

const running = runChairsideAndBrowser();

/** A patient of the first page of the default list, a different one per test. */
const aPatient = distinctPatients(() => running.chairside.db);

describe("the record", () => {
  it("shows the record, status, last visit, next appointment and the appointments, accessibly", async () => {
    const [{ id }] = (await running.chairside.db.sql<{ id: number }>(
      `select p.id from patient p where p.archived_at is null and p.last_visit_id is not null
          and exists (select 1 from appointment a where a.patient_id = p.id and a.starts_at > now() and a.status in ('pending', 'confirmed'))
        order by (select count(*) from appointment a where a.patient_id = p.id) desc, p.id limit 1`,
    )) as [{ id: number }];
    const { page } = await newPage(running.browser);
    await openRecord(page, running.chairside, id);
    const record = drawer(page, id);
    await record.locator(".history-item").first().waitFor();
    expect(await record.getByTestId("record-last-visit").textContent()).not.toContain("No completed visit");
    expect(await record.locator("#next-visit-heading + p").textContent()).not.toBe("None booked");
    expect(await record.locator(".badge").first().textContent()).toMatch(/Active|Inactive|New/);

    // The history is its own newest-first list, loading older pages as the user scrolls to its end.
    const expected = await running.chairside.db.sql<{ id: number }>(
      "select id from appointment where patient_id = $1 order by starts_at desc, id desc",
      [id],
    );
    expect(expected.length).toBeGreaterThan(HISTORY_PAGE_SIZE.default);
    expect(await record.locator(".history-item").count()).toBe(HISTORY_PAGE_SIZE.default);
    await record.locator(".history-end").scrollIntoViewIfNeeded();
    await expect.poll(() => record.locator(".history-item").count()).toBeGreaterThan(HISTORY_PAGE_SIZE.default);
    const shown = await record
      .locator(".history-item")
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-appointment-id"))));
    expect(shown).toEqual(expected.slice(0, shown.length).map((appointment) => appointment.id));

    await record.locator(".drawer-body").evaluate((body) => body.scrollTo(0, 0));
    await saveScreenshot(page, "detail");
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });
});

describe("archiving", () => {
  it("archives a patient out of the list and restores them", async () => {
    const patient = await aPatient();
    const { page } = await newPage(running.browser);
    await openSignedIn(page, running.chairside.url);
    const archivedBefore = Number(await page.getByTestId("count-archived").textContent());
    await row(page, patient.id).locator(".patient-link").click();
    const record = drawer(page, patient.id);
    await record.locator(".record-view").waitFor();

    await record.getByRole("button", { name: "Archive…" }).click();
    await record.getByRole("button", { name: "Archive", exact: true }).click();
    await record.getByText(/^Archived on/).waitFor();
    expect(await record.locator(".badge--archived").count()).toBe(1);
    await expect.poll(() => row(page, patient.id).count()).toBe(0);
    await expect
      .poll(async () => Number(await page.getByTestId("count-archived").textContent()))
      .toBe(archivedBefore + 1);

    await page.getByRole("tab", { name: /^Archived/ }).click();
    await page.getByLabel("Search patients").fill(`${patient.first_name} ${patient.last_name}`);
    await page.waitForURL((url) => url.searchParams.get("status") === "archived" && url.searchParams.has("q"));
    await waitForRows(page);
    expect(await row(page, patient.id).locator(".badge--archived").count()).toBe(1);

    await record.getByRole("button", { name: "Restore" }).click();
    await record.getByRole("button", { name: "Archive…" }).waitFor();
    await expect.poll(() => row(page, patient.id).count()).toBe(0);
    const [stored] = await running.chairside.db.sql<{ archived_at: Date | null }>(
      "select archived_at from patient where id = $1",
      [patient.id],
    );
    expect(stored?.archived_at).toBeNull();
    await page.close();
  });
});

describe("appointments", () => {
  // Patients taken from the end of the list (apart from aPatient's), a different one per call.
  let bookedPatients = 0;
  /** Books, straight into the database, a visit that took place yesterday for a patient never seen before. */
  async function newPatientWithVisitYesterday(): Promise<{ patientId: number; appointmentId: number }> {
    const [booked] = await running.chairside.db.sql<{ patient_id: number; id: number }>(
      `with target as (
         select p.id, p.clinic_id from patient p
          where p.archived_at is null and p.last_visit_id is null
          order by p.last_name desc, p.id limit 1 offset $1),
       dentist as (
         select m.id from staff_member m join staff_member_clinics c on c.staff_member_id = m.id
          join target on c.clinic_id = target.clinic_id where m.role = 'dentist' order by m.id limit 1)
       insert into appointment (patient_id, dentist_id, service_id, clinic_id, starts_at, status, notes, created_at, updated_at)
       select target.id, dentist.id, (select min(id) from service), target.clinic_id,
              now() - interval '1 day', 'confirmed', '', now(), now()
         from target, dentist
       returning patient_id, id`,
      [bookedPatients++],
    );
    if (!booked) throw new Error("could not book a visit");
    return { patientId: booked.patient_id, appointmentId: booked.id };
  }

  it("completing a visit updates the list row's last visit and status without reloading the list", async () => {
    const { patientId, appointmentId } = await newPatientWithVisitYesterday();
    const { page } = await newPage(running.browser);
    await openRecord(page, running.chairside, patientId);
    expect(await row(page, patientId).locator(".badge").first().textContent()).toBe("New");
    expect(await row(page, patientId).locator(".cell-visit").textContent()).toBe("No visit yet");

    let listRequests = 0;
    page.on("request", (request) => {
      if (decodeURIComponent(request.url()).includes("patients.list")) listRequests++;
    });
    const visit = drawer(page, patientId).locator(`.history-item[data-appointment-id="${appointmentId}"]`);
    await visit.getByRole("button", { name: /^Complete/ }).click();
    await expect.poll(() => visit.getAttribute("data-status")).toBe("completed");

    await expect.poll(() => row(page, patientId).locator(".badge").first().textContent()).toBe("Active");
    const service = await running.chairside.db.sql<{ name: string }>("select name from service order by id limit 1");
    expect(await row(page, patientId).locator(".cell-visit").textContent()).toContain(service[0]?.name);
    await expect
      .poll(() => drawer(page, patientId).getByTestId("record-last-visit").textContent())
      .not.toContain("No completed");
    expect(listRequests).toBe(0);
    const [stored] = await running.chairside.db.sql<{ last_visit_id: number }>(
      "select last_visit_id from patient where id = $1",
      [patientId],
    );
    expect(stored?.last_visit_id).toBe(appointmentId);
    await page.close();
  });

  it("cancels a visit after asking", async () => {
    const { patientId, appointmentId } = await newPatientWithVisitYesterday();
    const { page } = await newPage(running.browser);
    await openRecord(page, running.chairside, patientId);
    const visit = drawer(page, patientId).locator(`.history-item[data-appointment-id="${appointmentId}"]`);
    await visit.getByRole("button", { name: /^Cancel the appointment/ }).click();
    await visit.getByRole("button", { name: "Cancel appointment" }).click();
    await expect.poll(() => visit.getAttribute("data-status")).toBe("cancelled");
    expect(await row(page, patientId).locator(".badge").first().textContent()).toBe("New");
    const [stored] = await running.chairside.db.sql<{ status: string }>(
      "select status from appointment where id = $1",
      [appointmentId],
    );
    expect(stored?.status).toBe("cancelled");
    await page.close();
  });
});
