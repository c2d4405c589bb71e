// The list's column chooser, beside the status tabs: show or hide each column and move it up or down, by mouse
// or keyboard. A native popover (Escape and a click elsewhere close it, focus returns to its button); its
// contents exist only while it is open.
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import { moveColumn, showColumn } from "./column-choice.ts";
import { COLUMNS, type ColumnChoice, type ColumnKey, DEFAULT_COLUMN_CHOICE } from "./columns.ts";
import "./column-chooser.css";

interface ColumnChooserProps {
  choice: ColumnChoice;
  onChange(choice: ColumnChoice): void;
  /** The columns this staff member may choose from (the clinic only for staff of several clinics). */
  offered: readonly ColumnKey[];
  /** The columns the list shows now; a chosen one may not fit its width. */
  shown: readonly ColumnKey[];
}

export function ColumnChooser({ choice, onChange, offered, shown }: ColumnChooserProps) {
  const panel = useRef<HTMLDivElement>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  // After a move, the moved column's button keeps the focus (its row changed place).
  const [moved, setMoved] = useState<{ button: string } | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (moved) buttons.current.get(moved.button)?.focus();
  }, [moved]);

  const listed = choice.order.filter((key) => offered.includes(key));
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    // Escape closes the chooser, not the record open beside the list.
    event.preventDefault();
    panel.current?.hidePopover();
  };
  const move = (key: ColumnKey, step: -1 | 1) => {
    onChange(moveColumn(choice, key, step, offered));
    setMoved({ button: `${key}:${step}` });
  };

  return (
    <>
      <button
        type="button"
        className="column-chooser-button"
        popoverTarget="column-chooser"
        aria-label="Choose columns"
        aria-expanded={open}
        title="Choose columns"
      >
        <svg viewBox="0 0 20 20" aria-hidden="true">
          <path d="M3 4h14v2H3zm0 5h14v2H3zm0 5h14v2H3z" />
        </svg>
      </button>
      <div
        id="column-chooser"
        ref={panel}
        popover="auto"
        className="column-chooser"
        role="dialog"
        aria-label="Columns"
        onKeyDown={onKeyDown}
        onToggle={(event) => setOpen(event.newState === "open")}
      >
        {open && (
          <>
            <p className="column-chooser-title">Columns</p>
            <ul>
              {listed.map((key, index) => {
                const column = COLUMNS[key];
                const hidden = choice.hidden.includes(key);
                const noRoom = !hidden && !shown.includes(key);
                return (
                  <li key={key} data-column={key}>
                    <label>
                      <input
                        type="checkbox"
                        checked={!hidden}
                        disabled={key === "name"}
                        onChange={(event) => onChange(showColumn(choice, key, event.target.checked))}
                      />
                      {column.label}
                      {noRoom && <span className="muted small"> (no room)</span>}
                    </label>
                    {([-1, 1] as const).map((step) => {
                      const edge = step === -1 ? index === 0 : index === listed.length - 1;
                      return (
                        <button
                          key={step}
                          ref={(element) => {
                            if (element) buttons.current.set(`${key}:${step}`, element);
                            else buttons.current.delete(`${key}:${step}`);
                          }}
                          type="button"
                          className="column-move"
                          aria-label={`Move ${column.label} ${step === -1 ? "up" : "down"}`}
                          // Stays focusable at the ends, so the focus is not lost when a column reaches one.
                          aria-disabled={edge}
                          onClick={() => !edge && move(key, step)}
                        >
                          {step === -1 ? "↑" : "↓"}
                        </button>
                      );
                    })}
                  </li>
                );
              })}
            </ul>
            <button type="button" className="button button--quiet" onClick={() => onChange(DEFAULT_COLUMN_CHOICE)}>
              Reset to the usual columns
            </button>
          </>
        )}
      </div>
    </>
  );
}
