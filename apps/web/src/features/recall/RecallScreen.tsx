// The Recall screen: a clinic's patients due for recall, the most overdue first, the record of the one opened
// beside the list, and the list as a CSV download. What is due is the server's rule (clinic-rules.ts).
import { RECALL_CSV_PATH } from "@chairside/db/schemas";
import { useCallback } from "react";
import { AppHeader } from "../../app/AppHeader.tsx";
import { mayExportRecall } from "../../app/permissions.ts";
import { trpc } from "../../app/trpc.ts";
import { useSignedInStaff } from "../auth/session.tsx";
import { PatientDrawer } from "../patient-detail/PatientDrawer.tsx";
import { RecallTable } from "./RecallTable.tsx";
import { useRecallView } from "./recall-view.ts";
import "./recall.css";

export function RecallScreen() {
  const staff = useSignedInStaff();
  const [view, updateView] = useRecallView();
  const clinics = trpc.clinics.list.useQuery(undefined, { staleTime: 10 * 60_000 });
  // Recall is worked clinic by clinic: the chosen one, else the caller's first.
  const clinicId = view.clinicId ?? staff.clinicIds[0] ?? clinics.data?.[0]?.id;
  const utils = trpc.useUtils();
  const open = useCallback((id: number) => updateView({ patientId: id }), [updateView]);
  const close = useCallback(() => {
    updateView({ patientId: undefined });
    // What was done in the record (a visit booked, the interval changed) may take the patient off the list.
    void utils.recall.list.invalidate();
    document.getElementById("recall-grid")?.focus();
  }, [updateView, utils]);

  return (
    <div className={view.patientId === undefined ? "app" : "app has-drawer"}>
      <AppHeader />
      <main className="workspace">
        <section className="recall-list" aria-labelledby="recall-heading">
          <div className="recall-toolbar">
            <div>
              <h1 id="recall-heading">Recall</h1>
              <p className="recall-rule">
                Patients whose last visit plus their recall interval has passed, with nothing booked. Most overdue
                first.
              </p>
            </div>
            <div className="recall-actions">
              {clinics.data && clinics.data.length > 1 && (
                <>
                  <label htmlFor="recall-clinic" className="visually-hidden">
                    Clinic
                  </label>
                  <select
                    id="recall-clinic"
                    className="select"
                    value={clinicId ?? ""}
                    onChange={(event) => updateView({ clinicId: Number(event.target.value), patientId: undefined })}
                  >
                    {clinics.data.map((clinic) => (
                      <option key={clinic.id} value={clinic.id}>
                        {clinic.name}
                      </option>
                    ))}
                  </select>
                </>
              )}
              {clinicId !== undefined && mayExportRecall(staff) && (
                <a className="button" href={`${RECALL_CSV_PATH}?clinicId=${clinicId}`} download>
                  Export CSV
                </a>
              )}
            </div>
          </div>
          {clinicId !== undefined && (
            <RecallTable key={clinicId} clinicId={clinicId} openId={view.patientId} onOpen={open} />
          )}
        </section>
      </main>
      {view.patientId !== undefined && (
        <PatientDrawer key={view.patientId} patientId={view.patientId} onClose={close} />
      )}
    </div>
  );
}
