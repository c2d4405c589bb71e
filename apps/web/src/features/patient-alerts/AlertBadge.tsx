// The list row's sign that a patient has medical alerts: the most urgent kind, and how many kinds besides.
import { ALERT_KIND_LABELS } from "@chairside/db/alert-kinds";
import type { RouterOutputs } from "../../app/trpc.ts";
import "./patient-alerts.css";

type AlertKinds = RouterOutputs["patients"]["list"]["items"][number]["alertKinds"];

export function AlertBadge({ kinds = [] }: { kinds: AlertKinds }) {
  const [first, ...others] = kinds;
  if (!first) return null;
  const names = kinds.map((kind) => ALERT_KIND_LABELS[kind].toLowerCase()).join(", ");
  return (
    <span
      className={`alert-badge alert-badge--${first}`}
      title={`Medical alerts: ${names}`}
      role="img"
      aria-label={`Medical alerts: ${names}`}
      data-testid="alert-badge"
    >
      <AlertIcon />
      {ALERT_KIND_LABELS[first]}
      {others.length > 0 && ` +${others.length}`}
    </span>
  );
}

export function AlertIcon() {
  return (
    <svg className="alert-icon" viewBox="0 0 20 20" aria-hidden="true">
      <path d="M10 2.5 1.5 17.5h17L10 2.5zm-.9 5h1.8l-.2 5.2H9.3L9.1 7.5zM10 15.6a1.1 1.1 0 1 1 0-2.2 1.1 1.1 0 0 1 0 2.2z" />
    </svg>
  );
}
