// The SPA: providers, then the login screen or the patients screen.
import { SessionGate } from "../features/auth/session.tsx";
import { ErrorBoundary } from "../ui/ErrorBoundary.tsx";
import { PatientsScreen } from "./PatientsScreen.tsx";
import { type ApiClients, Providers } from "./Providers.tsx";

export function App(clients: ApiClients) {
  return (
    <ErrorBoundary>
      <Providers {...clients}>
        <SessionGate>
          <PatientsScreen />
        </SessionGate>
      </Providers>
    </ErrorBoundary>
  );
}
