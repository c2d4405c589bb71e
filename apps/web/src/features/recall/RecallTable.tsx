// The recall list as a table that scrolls on: rows keyed by patient id, and the next page requested while the
// user is still PREFETCH_ROWS rows above the end of what is loaded, as the patient list does.
import { type KeyboardEvent, useCallback, useMemo, useState } from "react";
import { ErrorState } from "../../ui/ErrorState.tsx";
import { formatCalendarDate } from "../../ui/format.ts";
import { useWhenVisible } from "../../ui/use-near-viewport.ts";
import { overdueBy } from "./recall-view.ts";
import { type RecallRow, useRecallList } from "./use-recall-list.ts";

const PREFETCH_ROWS = 20;

interface RecallTableProps {
  clinicId: number;
  openId: number | undefined;
  onOpen(id: number): void;
}

export function RecallTable({ clinicId, openId, onOpen }: RecallTableProps) {
  const { query, rows } = useRecallList(clinicId);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const prefetchAt = Math.max(0, rows.length - PREFETCH_ROWS);
  // The row PREFETCH_ROWS from the end, observed anew whenever a page moves it further down.
  const [aheadRow, setAheadRow] = useState<HTMLTableRowElement | null>(null);
  const ahead = useMemo(() => ({ current: aheadRow }), [aheadRow]);
  const more = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  useWhenVisible(ahead, more, "400px");
  // And the loading row at the end, for a jump to the bottom that skips over the row ahead.
  const [loadingRow, setLoadingRow] = useState<HTMLTableRowElement | null>(null);
  const loading = useMemo(() => ({ current: loadingRow }), [loadingRow]);
  useWhenVisible(loading, more, "400px");

  if (query.isError && rows.length === 0) {
    return (
      <div className="recall-error">
        <ErrorState title="The recall list could not be loaded" error={query.error} onRetry={() => query.refetch()} />
      </div>
    );
  }
  const keyDown = (id: number) => (event: KeyboardEvent) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onOpen(id);
    }
  };
  return (
    <div className="recall-scroll">
      <table id="recall-grid" className="recall-table" aria-busy={query.isPending} tabIndex={-1}>
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Phone</th>
            <th scope="col">Email</th>
            <th scope="col">Last visit</th>
            <th scope="col">Recall due</th>
            <th scope="col">Overdue by</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr
              key={row.id}
              ref={index === prefetchAt ? setAheadRow : undefined}
              className="recall-row"
              data-patient-id={row.id}
              data-open={row.id === openId ? "true" : undefined}
              tabIndex={0}
              onClick={() => onOpen(row.id)}
              onKeyDown={keyDown(row.id)}
            >
              <td className="cell-name">
                {row.lastName}, {row.firstName}
              </td>
              <td className="cell-phone">{row.phone ?? "—"}</td>
              <td className="cell-email">{row.email ?? "—"}</td>
              <td className="cell-last-visit">{lastVisit(row)}</td>
              <td className="cell-due">{formatCalendarDate(row.recall.dueOn)}</td>
              <td className="cell-overdue" data-overdue-days={row.recall.overdueDays}>
                {overdueBy(row.recall.overdueDays)}
              </td>
            </tr>
          ))}
          {(query.isPending || hasNextPage) && (
            <tr className="recall-loading" ref={setLoadingRow}>
              <td colSpan={6}>Loading…</td>
            </tr>
          )}
          {!query.isPending && rows.length === 0 && (
            <tr className="recall-empty">
              <td colSpan={6}>Nobody at this clinic is due for recall.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function lastVisit(row: RecallRow): string {
  if (!row.lastVisit) return "—";
  return `${formatCalendarDate(row.lastVisit.on)} · ${row.lastVisit.service}`;
}
