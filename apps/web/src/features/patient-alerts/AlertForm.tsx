// Noting an alert, or correcting one: its kind and what it says, checked with the server's schema first.
import { ALERT_KIND_LABELS, ALERT_KINDS, ALERT_TEXT_MAX, type AlertFields, alertFields } from "@chairside/db/schemas";
import { type FormEvent, type KeyboardEvent, useId, useState } from "react";
import { describeError, fieldErrorsOf } from "../../app/api-errors.ts";
import { capitalize } from "../../ui/format.ts";

interface AlertFormProps {
  initial?: AlertFields;
  saving: boolean;
  error: unknown;
  submitLabel: string;
  onSave(fields: AlertFields): void;
  onCancel(): void;
}

export function AlertForm({ initial, saving, error, submitLabel, onSave, onCancel }: AlertFormProps) {
  const id = useId();
  const [kind, setKind] = useState<AlertFields["kind"]>(initial?.kind ?? "allergy");
  const [text, setText] = useState(initial?.text ?? "");
  const [checkError, setCheckError] = useState<string | null>(null);
  const serverErrors = fieldErrorsOf(error);
  const textError = checkError ?? serverErrors.text?.[0] ?? null;
  const otherError = error && !serverErrors.text && !serverErrors.kind ? describeError(error) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = alertFields.safeParse({ kind, text });
    if (!checked.success) {
      setCheckError(checked.error.issues.find((issue) => issue.path[0] === "text")?.message ?? "check this field");
      return;
    }
    setCheckError(null);
    onSave(checked.data);
  };

  // As in the record's form: Escape leaves an untouched form, never throws away typing nor closes the record.
  const dirty = kind !== (initial?.kind ?? "allergy") || text !== (initial?.text ?? "");
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    if (!dirty) onCancel();
  };

  return (
    <form className="alert-form" onSubmit={submit} onKeyDown={onKeyDown} aria-label={submitLabel} noValidate>
      <div className="field alert-form-kind">
        <label className="field-label" htmlFor={`${id}-kind`}>
          Kind
        </label>
        <select id={`${id}-kind`} value={kind} onChange={(event) => setKind(event.target.value as AlertFields["kind"])}>
          {ALERT_KINDS.map((option) => (
            <option key={option} value={option}>
              {ALERT_KIND_LABELS[option]}
            </option>
          ))}
        </select>
      </div>
      <div className="field alert-form-text" data-invalid={textError ? "true" : undefined}>
        <label className="field-label" htmlFor={`${id}-text`}>
          What it is
        </label>
        <input
          id={`${id}-text`}
          value={text}
          maxLength={ALERT_TEXT_MAX}
          placeholder="Penicillin, latex, type 2 diabetes…"
          aria-invalid={textError ? true : undefined}
          aria-describedby={textError ? `${id}-text-error` : undefined}
          onChange={(event) => {
            setText(event.target.value);
            setCheckError(null);
          }}
          // biome-ignore lint/a11y/noAutofocus: the form opens on the user's click, to type at once
          autoFocus
        />
        {textError && (
          <span id={`${id}-text-error`} className="field-error">
            {capitalize(textError)}
          </span>
        )}
      </div>
      <div className="alert-form-actions">
        <button type="submit" className="button button--primary button--small" disabled={saving}>
          {saving ? "Saving…" : submitLabel}
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {otherError && (
        <p className="form-error" role="alert">
          {otherError}
        </p>
      )}
    </form>
  );
}
