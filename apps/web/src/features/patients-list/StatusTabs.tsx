// The status tabs with how many patients each holds for the current search and clinic ("1,000+" where a
// search's count stops at its cap).
import { type KeyboardEvent, useRef } from "react";
import { LIST_TABS, type ListTab } from "../../app/patients-view.ts";
import type { RouterOutputs } from "../../app/trpc.ts";
import { formatCount } from "../../ui/format.ts";

export const TAB_LABELS: Record<ListTab, string> = {
  all: "All",
  active: "Active",
  inactive: "Inactive",
  new: "New",
  archived: "Archived",
};

interface StatusTabsProps {
  tab: ListTab;
  counts: RouterOutputs["patients"]["counts"] | undefined;
  onChange(tab: ListTab): void;
}

export function StatusTabs({ tab, counts, onChange }: StatusTabsProps) {
  const buttons = useRef(new Map<ListTab, HTMLButtonElement>());
  // Arrow keys move between tabs (and select them), as the ARIA tabs pattern expects.
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = LIST_TABS[(LIST_TABS.indexOf(tab) + step + LIST_TABS.length) % LIST_TABS.length] ?? "all";
    onChange(next);
    buttons.current.get(next)?.focus();
  };
  return (
    <div className="status-tabs" role="tablist" aria-label="Patient status" onKeyDown={onKeyDown}>
      {LIST_TABS.map((candidate) => {
        const selected = candidate === tab;
        return (
          <button
            key={candidate}
            ref={(element) => {
              if (element) buttons.current.set(candidate, element);
              else buttons.current.delete(candidate);
            }}
            type="button"
            role="tab"
            id={`tab-${candidate}`}
            aria-selected={selected}
            aria-controls="patient-tabpanel"
            tabIndex={selected ? 0 : -1}
            className={selected ? "status-tab is-selected" : "status-tab"}
            onClick={() => onChange(candidate)}
          >
            {TAB_LABELS[candidate]}
            <span className="tab-count" data-testid={`count-${candidate}`}>
              {counts ? `${formatCount(counts[candidate])}${counts.atLeast[candidate] ? "+" : ""}` : "–"}
            </span>
          </button>
        );
      })}
    </div>
  );
}
