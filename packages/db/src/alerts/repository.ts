// The medical alerts' data API: noting, correcting and removing a patient's alerts (the record reads the current
// ones with the patient, and the list row their kinds). Each write answers with the patient's alerts as they now
// are and the patient's list row, so that a client puts both in place at once.
import type { MedicalAlert } from "../entities/medical-alert.ts";
import { type PatientListRow, patientListRow } from "../patients/list.ts";
import { ChairsideRepository } from "../repository.ts";
import type { AlertAddInput, AlertUpdateInput } from "./input.ts";
import { currentAlerts, type MedicalAlertItem } from "./items.ts";
import { type AlertChange, addAlert, removeAlert, updateAlert } from "./write.ts";

/** What a write returns: what it did (for the trail), the patient's current alerts and their list row. */
export interface SavedAlerts {
  change: AlertChange;
  alerts: MedicalAlertItem[];
  row: PatientListRow;
}

export class AlertRepository extends ChairsideRepository<MedicalAlert> {
  /** Notes an alert on a patient of the caller's clinics (another clinic's patient is NOT_FOUND). */
  add(input: AlertAddInput): Promise<SavedAlerts> {
    return this.saved(addAlert(this.request, this.em, input));
  }

  /** Corrects an alert as the caller read it; one changed or removed since is a CONFLICT with the current alerts. */
  update(input: AlertUpdateInput): Promise<SavedAlerts> {
    return this.saved(updateAlert(this.request, this.em, input));
  }

  /** Removes an alert, keeping it in the record's history. */
  remove(id: number): Promise<SavedAlerts> {
    return this.saved(removeAlert(this.request, this.em, id));
  }

  /** (Repositories are bound per request by prototype: no private members, which a bound view cannot reach.) */
  protected async saved(writing: Promise<AlertChange>): Promise<SavedAlerts> {
    const change = await writing;
    return {
      change,
      alerts: await currentAlerts(this.em, change.patientId),
      row: await patientListRow(this.request, this.em, change.patientId),
    };
  }
}
