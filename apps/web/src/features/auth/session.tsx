// Who is signed in. auth.me decides between the login screen and the app; an UNAUTHORIZED anywhere re-asks
// it (see app/query-client.ts), and so does the session's own expiry time.
import { createContext, lazy, type ReactNode, Suspense, useContext, useEffect, useRef } from "react";
import { errorCode } from "../../app/api-errors.ts";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import { ErrorState } from "../../ui/ErrorState.tsx";

// Loaded only for a browser that is not signed in: a signed-in first open does not wait for its code.
const LoginScreen = lazy(() => import("./LoginScreen.tsx").then((module) => ({ default: module.LoginScreen })));

export type CurrentSession = RouterOutputs["auth"]["me"];
export type SignedInStaff = CurrentSession["staff"];

const SessionContext = createContext<CurrentSession | null>(null);

/** The signed-in staff member; only rendered inside <SessionGate>. */
export function useSignedInStaff(): SignedInStaff {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSignedInStaff outside <SessionGate>");
  return session.staff;
}

/** A setTimeout further ahead than this fires at once; sessions are much shorter anyway. */
const MAX_TIMER_MS = 2_147_483_647;

export function SessionGate({ children }: { children: ReactNode }) {
  const utils = trpc.useUtils();
  const me = trpc.auth.me.useQuery(undefined, { staleTime: Number.POSITIVE_INFINITY });
  const wasSignedIn = useRef(false);
  const session = me.data;

  useEffect(() => {
    if (!session) return;
    wasSignedIn.current = true;
    const untilExpiry = Math.min(MAX_TIMER_MS, Math.max(0, session.expiresAt.getTime() - Date.now()) + 1_000);
    const timer = setTimeout(() => void utils.auth.me.invalidate(), untilExpiry);
    return () => clearTimeout(timer);
  }, [session, utils]);

  if (errorCode(me.error) === "UNAUTHORIZED") {
    return (
      <Suspense fallback={<Starting />}>
        <LoginScreen sessionEnded={wasSignedIn.current} />
      </Suspense>
    );
  }
  if (session) return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
  if (me.error) {
    return (
      <main className="centered-screen">
        <ErrorState title="Chairside could not start" error={me.error} onRetry={() => void me.refetch()} />
      </main>
    );
  }
  return <Starting />;
}

function Starting() {
  return (
    <main className="centered-screen" aria-busy="true">
      <p className="muted">Loading Chairside…</p>
    </main>
  );
}
