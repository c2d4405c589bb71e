// A medical alert as staff read it (the record's banner, a write's answer), in the one order they are listed.
import type { EntityManager } from "@mikro-orm/postgresql";
import { MedicalAlert } from "../entities/medical-alert.ts";
import type { NamedRef } from "../patients/record.ts";
import { ALERT_KINDS, type AlertKind } from "./input.ts";

export interface MedicalAlertItem {
  id: number;
  kind: AlertKind;
  text: string;
  /** When it was noted (for an edited alert, when it was last stated), and by whom. */
  notedAt: Date;
  notedBy: NamedRef;
}

/** An alert read with its `notedBy` populated. */
export function toAlertItem(alert: MedicalAlert): MedicalAlertItem {
  const notedBy = alert.notedBy.getEntity();
  return {
    id: alert.id,
    kind: alert.kind,
    text: alert.text,
    notedAt: alert.notedAt,
    notedBy: { id: notedBy.id, name: notedBy.name },
  };
}

/** Most urgent kind first, then as noted. */
export function inBannerOrder(alerts: readonly MedicalAlertItem[]): MedicalAlertItem[] {
  const rank = (kind: AlertKind) => ALERT_KINDS.indexOf(kind);
  return [...alerts].sort(
    (a, b) => rank(a.kind) - rank(b.kind) || a.notedAt.getTime() - b.notedAt.getTime() || a.id - b.id,
  );
}

/** A patient's current alerts, as the database holds them now: one statement. */
export async function currentAlerts(em: EntityManager, patientId: number): Promise<MedicalAlertItem[]> {
  const alerts = await em.find(
    MedicalAlert,
    { patient: patientId, removedAt: null },
    { populate: ["notedBy"], disableIdentityMap: true },
  );
  return inBannerOrder(alerts.map(toAlertItem));
}
