// The SPA: providers, then the login screen or the patients screen.
import { SessionGate } from "../features/auth/session.tsx";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { PatientsScreen } from "./PatientsScreen.tsx";
import { Providers } from "./Providers.tsx";

export function App() {
  return (
    <ErrorBoundary>
      <Providers>
        <SessionGate>
          <PatientsScreen />
        </SessionGate>
      </Providers>
    </ErrorBoundary>
  );
}
