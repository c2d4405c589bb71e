// Noting, correcting and removing a patient's medical alerts. Nothing is ever deleted or overwritten: a removal
// stamps the alert, and a correction removes it and notes its successor (which `replaces` it), so the record
// keeps every alert as it was stated. A correction or removal names the alert as the caller read it; if someone
// else has corrected it since, it is refused (CONFLICT, with the current alerts) rather than applied to a text
// the caller never saw.
import type { EntityManager } from "@mikro-orm/postgresql";
import { MedicalAlert, Patient } from "../entities/index.ts";
import { ChairsideError } from "../errors.ts";
import { patientNotFound } from "../patients/record.ts";
import { firstRowOf, run, sqlFor } from "../postgres/sql.ts";
import { inClinics, type RequestScope } from "../scope.ts";
import type { AlertAddInput, AlertUpdateInput } from "./input.ts";
import { currentAlerts, type MedicalAlertItem } from "./items.ts";

/** The `details` of a CONFLICT on an alert changed since the caller read it: the patient's alerts as they are now. */
export interface StaleAlertConflict {
  reason: "stale";
  current: MedicalAlertItem[];
}

/** Which patient a write touched, for the answer (their alerts and list row) and the audit entry. */
export interface AlertChange {
  alertId: number;
  patientId: number;
  clinicId: number;
  /** What a correction changed (not what it sent: a form sends both). */
  changed: ("kind" | "text")[];
}

function actingStaff(request: RequestScope): number {
  if (request.staffId === null) throw new Error("an alert is noted by a signed-in staff member");
  return request.staffId;
}

export async function addAlert(request: RequestScope, em: EntityManager, input: AlertAddInput): Promise<AlertChange> {
  const clinic = request.clinics.clinicFilter;
  const patient = await em.findOne(Patient, clinic ? { id: input.patientId, clinic } : { id: input.patientId }, {
    fields: ["clinic"],
    disableIdentityMap: true,
  });
  if (!patient) throw patientNotFound(input.patientId);
  const alertId = await em.insert(MedicalAlert, {
    patient: input.patientId,
    kind: input.kind,
    text: input.text,
    notedAt: request.now,
    notedBy: actingStaff(request),
  });
  return { alertId: alertId as number, patientId: input.patientId, clinicId: patient.clinic.id, changed: [] };
}

/** Corrects the alert: the one read is removed and its successor noted. Sending what it already says changes nothing. */
export function updateAlert(request: RequestScope, em: EntityManager, input: AlertUpdateInput): Promise<AlertChange> {
  return em.transactional(async (tx) => {
    const alert = await lockAlert(request, tx, input.id);
    if (alert.removed_at !== null) throw await staleAlert(tx, alert.patient_id);
    const kind = input.kind ?? alert.kind;
    const text = input.text ?? alert.text;
    const changed = [
      ...(kind !== alert.kind ? ["kind" as const] : []),
      ...(text !== alert.text ? ["text" as const] : []),
    ];
    const change = { alertId: alert.id, patientId: alert.patient_id, clinicId: alert.clinic_id, changed };
    if (changed.length === 0) return change;
    await retire(request, tx, alert.id);
    const successor = await tx.insert(MedicalAlert, {
      patient: alert.patient_id,
      kind,
      text,
      notedAt: request.now,
      notedBy: actingStaff(request),
      replaces: alert.id,
    });
    return { ...change, alertId: successor as number };
  });
}

/** Removes the alert (kept, stamped with when and by whom). Removing a removed alert changes nothing; removing one
 *  someone has corrected since is refused, as the correction was not what the caller meant to remove. */
export function removeAlert(request: RequestScope, em: EntityManager, id: number): Promise<AlertChange> {
  return em.transactional(async (tx) => {
    const alert = await lockAlert(request, tx, id);
    if (alert.removed_at === null) await retire(request, tx, alert.id);
    else if (await wasCorrected(tx, alert.id)) throw await staleAlert(tx, alert.patient_id);
    return { alertId: alert.id, patientId: alert.patient_id, clinicId: alert.clinic_id, changed: [] };
  });
}

/** The alert as it is, locked until the transaction ends, if it belongs to a patient of the caller's clinics. */
async function lockAlert(request: RequestScope, em: EntityManager, id: number) {
  const db = sqlFor(em);
  const query = db
    .selectFrom("medical_alert as a")
    .innerJoin("patient as p", "p.id", "a.patient_id")
    .select(["a.id", "a.patient_id", "a.kind", "a.text", "a.removed_at", "p.clinic_id"])
    .where("a.id", "=", id)
    .where((row) => inClinics(row.ref("p.clinic_id"), request.clinics.clinicIds))
    .forUpdate("a");
  const alert = await firstRowOf(em, query);
  if (!alert) throw new ChairsideError("NOT_FOUND", `there is no alert ${id}`);
  return alert;
}

/** Whether the alert has a successor. Asked after the alert's lock is held, in a statement of its own, so that it
 *  sees a correction committed while this call waited for the lock. */
async function wasCorrected(em: EntityManager, id: number): Promise<boolean> {
  const db = sqlFor(em);
  const successor = await firstRowOf(em, db.selectFrom("medical_alert").select("id").where("replaces_id", "=", id));
  return successor !== undefined;
}

async function retire(request: RequestScope, em: EntityManager, id: number): Promise<void> {
  const db = sqlFor(em);
  await run(
    em,
    db
      .updateTable("medical_alert")
      .set({ removed_at: request.now, removed_by_id: actingStaff(request) })
      .where("id", "=", id)
      .where("removed_at", "is", null),
  );
}

async function staleAlert(em: EntityManager, patientId: number): Promise<ChairsideError<StaleAlertConflict>> {
  return new ChairsideError<StaleAlertConflict>(
    "CONFLICT",
    "someone else changed or removed this alert since you opened the record; review the current alerts",
    { reason: "stale", current: await currentAlerts(em, patientId) },
  );
}
