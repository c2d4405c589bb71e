// The SPA: providers, then the login screen or the screen the address names (the patients, or the recall list).
import { lazy, Suspense } from "react";
import { SessionGate } from "../features/auth/session.tsx";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { PatientsScreen } from "./PatientsScreen.tsx";
import { type ApiClients, Providers } from "./Providers.tsx";
import { useScreen } from "./screens.ts";

// Loaded when first shown: the patient list, where staff land, does not wait for it.
const RecallScreen = lazy(() =>
  import("../features/recall/RecallScreen.tsx").then((module) => ({ default: module.RecallScreen })),
);

function CurrentScreen() {
  return useScreen() === "recall" ? (
    <Suspense fallback={null}>
      <RecallScreen />
    </Suspense>
  ) : (
    <PatientsScreen />
  );
}

export function App(clients: ApiClients) {
  return (
    <ErrorBoundary>
      <Providers {...clients}>
        <SessionGate>
          <CurrentScreen />
        </SessionGate>
      </Providers>
    </ErrorBoundary>
  );
}
