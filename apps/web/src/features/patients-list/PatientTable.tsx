// The patient list as a virtualized grid: only the rows in view (plus a few) are in the DOM however far the
// user scrolls, rows are keyed by patient id, and the next page is requested while the user is still about
// three screens above the end of what is loaded, so scrolling at a normal pace never reaches a loading row.
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useEffect, useMemo, useRef } from "react";
import { useClinicFacts } from "../../app/clinics.ts";
import type { PatientsView, SortKey } from "../../app/patients-view.ts";
import { ErrorState } from "../../ui/ErrorState.tsx";
import { useElementWidth } from "../../ui/use-element-width.ts";
import { usePhoneFormat } from "../../ui/use-phone-format.ts";
import { VisuallyHidden } from "../../ui/VisuallyHidden.tsx";
import { type ColumnChoice, type ColumnKey, layOutColumns } from "./columns.ts";
import { PatientRow } from "./PatientRow.tsx";
import { SortableHeader } from "./SortableHeader.tsx";
import { usePatientList } from "./use-patient-list.ts";
import "./patient-table.css";

/** Fixed row and header heights (see patient-table.css): the virtualizer needs no measuring. */
const ROW_HEIGHT = 56;
const HEADER_HEIGHT = 44;
/** Rows rendered beyond the visible ones on each side. */
const OVERSCAN = 6;
/** How close (in rows) the last rendered row may come to the end of the loaded rows before the next page is
 *  requested: about three screens at 1280x800, so the page arrives long before it is needed. */
const PREFETCH_ROWS = 40;
/** The list's width before it is measured: a desktop screen. */
const ASSUMED_WIDTH = 1_280;

interface PatientTableProps {
  view: PatientsView;
  selectedId: number | undefined;
  onSelect(id: number): void;
  onOpen(id: number): void;
  onSort(key: SortKey): void;
  onClearSearch(): void;
  emptyMessage: string;
  /** The columns the staff member chose, and those on offer to them (see column-choice.ts). */
  columnChoice: ColumnChoice;
  offeredColumns: readonly ColumnKey[];
  /** Told which chosen columns the list's width holds, whenever that changes. */
  onColumnsShown(keys: readonly ColumnKey[]): void;
}

export function PatientTable({
  view,
  selectedId,
  onSelect,
  onOpen,
  onSort,
  onClearSearch,
  emptyMessage,
  columnChoice,
  offeredColumns,
  onColumnsShown,
}: PatientTableProps) {
  const { query, rows, inputKey } = usePatientList(view);
  // Rows carry only their clinic's id; the few clinics' names come once from clinics.list.
  const clinics = useClinicFacts();
  const formatPhone = usePhoneFormat();
  const scrollRef = useRef<HTMLDivElement>(null);
  const hasMore = query.hasNextPage;
  const width = useElementWidth(scrollRef, ASSUMED_WIDTH);
  const layout = useMemo(
    () => layOutColumns(width, columnChoice, (key) => offeredColumns.includes(key)),
    [width, columnChoice, offeredColumns],
  );
  const columns = useMemo(() => layout.columns.map(({ column }) => column), [layout]);
  const columnCount = columns.length;
  const shownKeys = columns.map((column) => column.key).join(" ");
  useEffect(() => onColumnsShown(shownKeys.split(" ") as ColumnKey[]), [shownKeys, onColumnsShown]);

  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    // The sticky header sits above the first row inside the scrolling box.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? "more",
  });
  const items = virtualizer.getVirtualItems();
  const lastRendered = items.at(-1)?.index ?? -1;

  const { fetchNextPage, isFetching, isFetchNextPageError, isPlaceholderData } = query;
  useEffect(() => {
    if (!hasMore || isFetching || isFetchNextPageError || isPlaceholderData) return;
    if (lastRendered >= rows.length - PREFETCH_ROWS) void fetchNextPage();
  }, [hasMore, isFetching, isFetchNextPageError, isPlaceholderData, lastRendered, rows.length, fetchNextPage]);

  // Another filter, sort or search starts at the top.
  const shownKey = useRef(inputKey);
  useEffect(() => {
    if (shownKey.current === inputKey) return;
    shownKey.current = inputKey;
    virtualizer.scrollToOffset(0);
  }, [inputKey, virtualizer]);

  const indexById = useMemo(() => new Map(rows.map((row, index) => [row.id, index])), [rows]);
  const selectedIndex = selectedId === undefined ? -1 : (indexById.get(selectedId) ?? -1);
  const selectedRendered = items.some((item) => item.index === selectedIndex);

  const moveSelection = (to: number) => {
    const target = rows[Math.max(0, Math.min(rows.length - 1, to))];
    if (!target) return;
    onSelect(target.id);
    virtualizer.scrollToIndex(indexById.get(target.id) ?? 0, { align: "auto" });
  };
  const rowsPerScreen = () =>
    Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? ROW_HEIGHT) - HEADER_HEIGHT) / ROW_HEIGHT));
  const firstVisible = () => Math.max(0, Math.floor((virtualizer.scrollOffset ?? 0) / ROW_HEIGHT));

  /** Where a key moves the selection (with none yet, the first row in view is the start), or null. */
  const selectionTarget = (key: string, from: number | null): number | null => {
    switch (key) {
      case "ArrowDown":
        return from === null ? firstVisible() : from + 1;
      case "ArrowUp":
        return from === null ? firstVisible() : from - 1;
      case "PageDown":
        return (from ?? firstVisible()) + rowsPerScreen();
      case "PageUp":
        return (from ?? firstVisible()) - rowsPerScreen();
      case "Home":
        return 0;
      case "End":
        return rows.length - 1;
      default:
        return null;
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // Enter on a column header's button sorts; it does not also open the selected patient.
    if (event.target instanceof Element && event.target.closest("thead")) return;
    const target = selectionTarget(event.key, selectedIndex === -1 ? null : selectedIndex);
    if (target !== null) {
      event.preventDefault();
      moveSelection(target);
    } else if (event.key === "Enter" && selectedId !== undefined && selectedIndex !== -1) {
      event.preventDefault();
      onOpen(selectedId);
    }
  };

  const firstLoad = query.isPending;
  if (query.isError && !query.data) {
    return (
      <div className="table-error">
        <ErrorState
          title="The patient list could not be loaded"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      </div>
    );
  }

  const paddingTop = items[0] ? items[0].start - HEADER_HEIGHT : 0;
  const lastItem = items.at(-1);
  const paddingBottom = lastItem ? virtualizer.getTotalSize() - (lastItem.end - HEADER_HEIGHT) : 0;
  const busy = firstLoad || isPlaceholderData;

  return (
    <div className={`table-scroll${isPlaceholderData ? " is-updating" : ""}`} ref={scrollRef}>
      <VisuallyHidden live="polite">{busy ? "Loading patients…" : ""}</VisuallyHidden>
      <table
        id="patient-grid"
        className="patient-table"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern on a data table: one tab stop, arrows select rows
        role="grid"
        aria-label="Patients"
        aria-busy={busy}
        aria-readonly="true"
        aria-rowcount={hasMore ? -1 : rows.length + 1}
        aria-activedescendant={selectedRendered ? `patient-row-${selectedId}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <colgroup>
          {layout.columns.map(({ column, width: columnWidth }) => (
            <col key={column.key} style={columnWidth === undefined ? undefined : { width: columnWidth }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((column) =>
              column.sort ? (
                <SortableHeader
                  key={column.key}
                  label={column.label}
                  sortKey={column.sort}
                  sort={view.sort}
                  onSort={onSort}
                  className={column.className}
                />
              ) : (
                <th key={column.key} scope="col" className={column.className}>
                  {column.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {firstLoad && <SkeletonRows columnCount={columnCount} />}
          {!firstLoad && rows.length === 0 && (
            <tr aria-rowindex={2}>
              <td colSpan={columnCount} className="empty-cell">
                <p className="empty-title">{emptyMessage}</p>
                {view.search && (
                  <button type="button" className="button" onClick={onClearSearch}>
                    Clear the search
                  </button>
                )}
              </td>
            </tr>
          )}
          {paddingTop > 0 && <SpacerRow height={paddingTop} columnCount={columnCount} />}
          {items.map((item) => {
            const patient = rows[item.index];
            if (!patient) {
              return (
                <tr key={item.key} className="more-row" aria-rowindex={item.index + 2}>
                  <td colSpan={columnCount}>
                    {isFetchNextPageError ? (
                      <ErrorState
                        compact
                        title="More patients could not be loaded"
                        error={query.error}
                        onRetry={() => void fetchNextPage()}
                      />
                    ) : (
                      <span className="muted">Loading more patients…</span>
                    )}
                  </td>
                </tr>
              );
            }
            return (
              <PatientRow
                key={item.key}
                patient={patient}
                index={item.index}
                view={view}
                columns={columns}
                birthdayUnderName={layout.birthdayUnderName}
                clinic={clinics.get(patient.clinicId)}
                formatPhone={formatPhone}
                selected={patient.id === selectedId}
                onOpen={onOpen}
              />
            );
          })}
          {paddingBottom > 0 && <SpacerRow height={paddingBottom} columnCount={columnCount} />}
        </tbody>
      </table>
    </div>
  );
}

/** Stands in for the rows above and below the rendered ones, so the scrollbar tells the truth. */
function SpacerRow({ height, columnCount }: { height: number; columnCount: number }) {
  return (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a layout row, never focused; hidden from the grid's rows
    <tr className="spacer-row" aria-hidden="true">
      <td colSpan={columnCount} style={{ height }} />
    </tr>
  );
}

const SKELETON_ROWS = Array.from({ length: 12 }, (_, index) => index);

function SkeletonRows({ columnCount }: { columnCount: number }) {
  return SKELETON_ROWS.map((index) => (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a placeholder row, never focused; the live region announces loading
    <tr key={index} className="skeleton-row" aria-hidden="true">
      {Array.from({ length: columnCount }, (_, cell) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
        <td key={cell}>
          <span className="skeleton-bar" style={{ width: `${45 + ((index * 7 + cell * 13) % 45)}%` }} />
        </td>
      ))}
    </tr>
  ));
}
