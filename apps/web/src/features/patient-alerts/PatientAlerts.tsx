// The record's medical alerts, at its top: a banner that cannot be missed while there are any (each alert's kind,
// what it is, when and by whom it was noted), and the controls to note, correct and remove them.
import { ALERT_KIND_LABELS } from "@chairside/db/schemas";
import { useState } from "react";
import { describeError } from "../../app/api-errors.ts";
import { mayKeepAlerts } from "../../app/permissions.ts";
import type { RouterOutputs } from "../../app/trpc.ts";
import { useSignedInStaff } from "../auth/session.tsx";
import { AlertIcon } from "./AlertBadge.tsx";
import { AlertForm } from "./AlertForm.tsx";
import { type MedicalAlert, useAlertChanges } from "./use-alert-changes.ts";
import "./patient-alerts.css";

type PatientRecord = RouterOutputs["patients"]["byId"];

const notedFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });

export function PatientAlerts({ record }: { record: PatientRecord }) {
  const mayKeep = mayKeepAlerts(useSignedInStaff());
  const changes = useAlertChanges(record.id);
  const [adding, setAdding] = useState(false);
  const { alerts } = record;
  const refused = changes.update.error ?? changes.remove.error;

  const addForm = adding && (
    <AlertForm
      submitLabel="Add alert"
      saving={changes.add.isPending}
      error={changes.add.error}
      onCancel={() => {
        setAdding(false);
        changes.add.reset();
      }}
      onSave={(fields) =>
        changes.add.mutate({ patientId: record.id, ...fields }, { onSuccess: () => setAdding(false) })
      }
    />
  );
  const addButton = mayKeep && !adding && (
    <button type="button" className="button button--small" onClick={() => setAdding(true)}>
      Add alert
    </button>
  );

  if (alerts.length === 0) {
    return (
      <section className="alerts-none" aria-label="Medical alerts">
        <p className="muted">No medical alerts recorded.</p>
        {addButton}
        {addForm}
      </section>
    );
  }
  return (
    <section className="alert-banner" role="alert" aria-labelledby="alert-banner-heading" data-testid="alert-banner">
      <header className="alert-banner-header">
        <AlertIcon />
        <h3 id="alert-banner-heading">Medical alerts</h3>
        {addButton}
      </header>
      <ul className="alert-list">
        {alerts.map((alert) => (
          <AlertLine key={alert.id} alert={alert} mayKeep={mayKeep} changes={changes} />
        ))}
      </ul>
      {addForm}
      {refused && (
        <p className="form-error" role="status">
          {describeError(refused)}
        </p>
      )}
    </section>
  );
}

interface AlertLineProps {
  alert: MedicalAlert;
  mayKeep: boolean;
  changes: ReturnType<typeof useAlertChanges>;
}

function AlertLine({ alert, mayKeep, changes }: AlertLineProps) {
  const [mode, setMode] = useState<"showing" | "editing" | "removing">("showing");
  if (mode === "editing") {
    return (
      <li className="alert-line">
        <AlertForm
          initial={{ kind: alert.kind, text: alert.text }}
          submitLabel="Save alert"
          saving={changes.update.isPending}
          error={changes.update.error}
          onCancel={() => setMode("showing")}
          onSave={(fields) =>
            changes.update.mutate({ id: alert.id, ...fields }, { onSettled: () => setMode("showing") })
          }
        />
      </li>
    );
  }
  return (
    <li className={`alert-line alert-line--${alert.kind}`}>
      <span className="alert-kind">{ALERT_KIND_LABELS[alert.kind]}</span>
      <span className="alert-body">
        <span className="alert-text">{alert.text}</span>{" "}
        <span className="alert-noted muted">
          noted {notedFormat.format(alert.notedAt)} by {alert.notedBy.name}
        </span>
      </span>
      {mayKeep &&
        (mode === "removing" ? (
          <span className="alert-actions">
            <span>Remove? It stays in the record's history.</span>
            <button
              type="button"
              className="button button--danger button--small"
              disabled={changes.remove.isPending}
              onClick={() => changes.remove.mutate({ id: alert.id }, { onSettled: () => setMode("showing") })}
            >
              Remove
            </button>
            <button type="button" className="button button--small" onClick={() => setMode("showing")}>
              Keep
            </button>
          </span>
        ) : (
          <span className="alert-actions">
            <button
              type="button"
              className="button button--small"
              aria-label={`Edit alert: ${alert.text}`}
              onClick={() => {
                changes.update.reset();
                setMode("editing");
              }}
            >
              Edit
            </button>
            <button
              type="button"
              className="button button--small"
              aria-label={`Remove alert: ${alert.text}`}
              onClick={() => {
                changes.remove.reset();
                setMode("removing");
              }}
            >
              Remove…
            </button>
          </span>
        ))}
    </li>
  );
}
