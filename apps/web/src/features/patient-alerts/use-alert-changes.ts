// Adding, correcting and removing alerts from the record: each answer puts the patient's alerts in the cached
// record and their row in the cached list pages at once, so the banner and the badge change together.
import type { StaleAlertConflict } from "@chairside/db";
import { useQueryClient } from "@tanstack/react-query";
import { conflictDetails } from "../../app/api-errors.ts";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import { placePatientInLists } from "../patients-list/list-cache.ts";

type SavedAlerts = RouterOutputs["alerts"]["add"];
export type MedicalAlert = SavedAlerts["alerts"][number];

export function useAlertChanges(patientId: number) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const showAlerts = (alerts: MedicalAlert[]) =>
    utils.patients.byId.setData({ id: patientId }, (record) => (record ? { ...record, alerts } : record));
  const onSuccess = ({ alerts, row }: SavedAlerts) => {
    showAlerts(alerts);
    placePatientInLists(queryClient, row);
  };
  // A stale correction or removal: the record shows the alerts as they now are, and the refusal says why.
  const onError = (error: unknown) => {
    const stale = conflictDetails<StaleAlertConflict>(error, ["stale"]);
    if (stale) showAlerts(stale.current);
  };
  return {
    add: trpc.alerts.add.useMutation({ onSuccess }),
    update: trpc.alerts.update.useMutation({ onSuccess, onError }),
    remove: trpc.alerts.remove.useMutation({ onSuccess, onError }),
  };
}
