// The one screen staff live in: the patient list, and the open patient's record beside it. The record and the
// New patient dialog are loaded when first opened: the list's first paint does not wait for their code.
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { useSignedInStaff } from "../features/auth/session.tsx";
import { ClinicFilter } from "../features/patients-list/ClinicFilter.tsx";
import { PatientsList } from "../features/patients-list/PatientsList.tsx";
import { AppHeader } from "./AppHeader.tsx";
import { usePatientsView } from "./patients-view.ts";
import { mayEditPatients } from "./permissions.ts";

const loadRecord = () => import("../features/patient-detail/PatientDrawer.tsx");
const PatientDrawer = lazy(() => loadRecord().then((module) => ({ default: module.PatientDrawer })));
/** A pointer over the list or a key pressed in it comes before opening a record: fetch its code then. */
const preloadRecord = () => void loadRecord();
const CreatePatientDialog = lazy(() =>
  import("../features/patient-create/CreatePatientDialog.tsx").then((module) => ({
    default: module.CreatePatientDialog,
  })),
);

export function PatientsScreen() {
  const staff = useSignedInStaff();
  const [view, updateView] = usePatientsView();
  const [selectedId, setSelectedId] = useState<number | undefined>(view.patientId);
  const [creating, setCreating] = useState(false);

  // Opening a record (also by back/forward or a link) selects its row.
  useEffect(() => {
    if (view.patientId !== undefined) setSelectedId(view.patientId);
  }, [view.patientId]);

  const open = useCallback((id: number) => updateView({ patientId: id }), [updateView]);
  const close = useCallback(() => {
    updateView({ patientId: undefined });
    // Back to where the user was: the list, with the closed patient still selected.
    document.getElementById("patient-grid")?.focus();
  }, [updateView]);

  return (
    <div className={view.patientId === undefined ? "app" : "app has-drawer"}>
      <AppHeader />
      <main className="workspace" onPointerOver={preloadRecord} onKeyDown={preloadRecord}>
        <PatientsList
          view={view}
          onViewChange={updateView}
          selectedId={selectedId}
          onSelect={setSelectedId}
          onOpen={open}
          actions={
            <>
              <ClinicFilter clinicId={view.clinicId} onChange={(clinicId) => updateView({ clinicId })} />
              {mayEditPatients(staff) && (
                <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
                  New patient
                </button>
              )}
            </>
          }
        />
      </main>
      <Suspense>
        {view.patientId !== undefined && (
          <PatientDrawer key={view.patientId} patientId={view.patientId} onClose={close} />
        )}
      </Suspense>
      <Suspense>
        {creating && (
          <CreatePatientDialog
            defaultClinicId={view.clinicId ?? (staff.clinicIds.length === 1 ? staff.clinicIds[0] : undefined)}
            onClose={() => setCreating(false)}
            onOpenPatient={(id) => {
              setCreating(false);
              open(id);
            }}
          />
        )}
      </Suspense>
    </div>
  );
}
