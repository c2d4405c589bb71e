// A patient's status (and archived state) as a small coloured label.
import type { RouterOutputs } from "../app/trpc.ts";
import { capitalize } from "./format.ts";

type PatientStatus = RouterOutputs["patients"]["list"]["items"][number]["status"];

export function StatusBadge({ status, archived = false }: { status: PatientStatus; archived?: boolean }) {
  return (
    <span className="badges">
      <span className={`badge badge--${status}`}>{capitalize(status)}</span>
      {archived && <span className="badge badge--archived">Archived</span>}
    </span>
  );
}
