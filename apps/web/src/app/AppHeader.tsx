// The bar across the top: the practice's name for the app, who is signed in, and signing out.
import { useSignedInStaff } from "../features/auth/session.tsx";
import { capitalize } from "../ui/format.ts";
import { ScreenNav } from "./ScreenNav.tsx";
import { trpc } from "./trpc.ts";

export function AppHeader() {
  const staff = useSignedInStaff();
  const logout = trpc.auth.logout.useMutation({
    // A fresh page load: nothing of this session stays in memory for the next person at the desk.
    onSettled: () => window.location.assign("/"),
  });
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Chairside</span>
      </div>
      <ScreenNav />
      <div className="app-header-user">
        <span className="user-name">{staff.name}</span>
        <span className="user-role">{capitalize(staff.role)}</span>
        <button
          type="button"
          className="button button--quiet"
          onClick={() => logout.mutate()}
          disabled={logout.isPending}
        >
          {logout.isPending ? "Signing out…" : "Sign out"}
        </button>
      </div>
    </header>
  );
}
