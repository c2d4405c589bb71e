// The patient's audit trail, for owners: who viewed or changed the record and its visits, when and from which
// address, newest first. Its own infinite list, loaded when the section comes into view (fresh each time it
// opens), older entries as the user scrolls to its end. Reads reach the trail in batches a moment later, so
// it can be refreshed; after any change made here it refreshes by itself.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import { ErrorState } from "../../ui/ErrorState.tsx";
import { formatClinicDateTime } from "../../ui/format.ts";
import { useNearViewport, useWhenVisible } from "../../ui/use-near-viewport.ts";
import { FIELD_LABELS } from "../patient-form/form-values.ts";
import "./activity.css";

type PatientRecord = RouterOutputs["patients"]["byId"];
type AuditEntry = RouterOutputs["audit"]["list"]["items"][number];

export const ACTIVITY_PAGE_SIZE = 20;

export function ActivityLog({ record }: { record: PatientRecord }) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const section = useRef<HTMLElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const near = useNearViewport(section);
  const patientId = record.id;
  const activity = trpc.audit.list.useInfiniteQuery(
    { patientId, limit: ACTIVITY_PAGE_SIZE },
    { enabled: near, staleTime: 0, getNextPageParam: (page) => page.nextCursor },
  );
  const entries = useMemo(() => activity.data?.pages.flatMap((page) => page.items) ?? [], [activity.data]);

  // An edit, archive or visit change made in this app is in the trail as soon as it succeeds.
  useEffect(
    () =>
      queryClient.getMutationCache().subscribe((event) => {
        if (event.type === "updated" && event.action.type === "success") {
          void utils.audit.list.invalidate({ patientId });
        }
      }),
    [queryClient, utils, patientId],
  );

  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = activity;
  const loadOlder = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage && !isFetchNextPageError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);
  useWhenVisible(end, loadOlder);

  const timeZone = record.clinic.timeZone;
  return (
    <section className="activity" ref={section} aria-labelledby="activity-heading" aria-busy={activity.isFetching}>
      <div className="activity-header">
        <h3 id="activity-heading">Activity</h3>
        {activity.data && (
          <button
            type="button"
            className="button button--small button--quiet"
            disabled={activity.isFetching}
            onClick={() => void activity.refetch()}
            aria-label="Refresh the activity"
          >
            {activity.isFetching && !isFetchingNextPage ? "Refreshing…" : "Refresh"}
          </button>
        )}
      </div>
      {activity.isPending && <p className="muted">Loading activity…</p>}
      {activity.isError && !activity.data && (
        <ErrorState
          compact
          title="The activity could not be loaded"
          error={activity.error}
          onRetry={() => void activity.refetch()}
        />
      )}
      {activity.data && entries.length === 0 && <p className="muted">No activity recorded yet.</p>}
      <ol className="boxed-list activity-list" aria-labelledby="activity-heading">
        {entries.map((entry) => (
          <li key={entry.id} className="activity-item" data-audit-id={entry.id} data-action={entry.action}>
            <p className="activity-what">
              {describeAction(entry, timeZone)}
              {entry.patient && entry.patient.id !== patientId && (
                <span className="muted"> (on record #{entry.patient.id}, since merged into this one)</span>
              )}
            </p>
            <p className="activity-meta">
              {entry.staff?.name ?? entry.email ?? "Unknown"} ·{" "}
              <time dateTime={entry.at.toISOString()}>{formatClinicDateTime(entry.at, timeZone)}</time> · from{" "}
              <span className="activity-address">{entry.clientAddress}</span>
            </p>
          </li>
        ))}
      </ol>
      <div ref={end} className="activity-end">
        {isFetchingNextPage && <p className="muted">Loading older activity…</p>}
        {isFetchNextPageError && (
          <ErrorState
            compact
            title="Older activity could not be loaded"
            error={activity.error}
            onRetry={() => void fetchNextPage()}
          />
        )}
        {hasNextPage && !isFetchingNextPage && !isFetchNextPageError && (
          <button type="button" className="button button--small" onClick={loadOlder}>
            Show older activity
          </button>
        )}
      </div>
    </section>
  );
}

const FIELD_NAMES: Record<string, string> = FIELD_LABELS;

/** "firstName" as "first name", from the form's own labels; a field the form does not know, as sent. */
function fieldName(field: unknown): string {
  const name = String(field);
  return FIELD_NAMES[name]?.toLowerCase() ?? name;
}

/** An appointment status ("reschedule_requested") as words. */
function statusWords(status: unknown): string {
  return typeof status === "string" ? status.replaceAll("_", " ") : "unknown";
}

function instantOf(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const STATUS_VERBS: Record<string, string> = {
  completed: "Completed a visit",
  cancelled: "Cancelled a visit",
  confirmed: "Confirmed a visit",
  missed: "Marked a visit missed",
  waiting: "Checked in for a visit",
};

/** What an entry says happened, in words. */
export function describeAction(entry: AuditEntry, timeZone: string): string {
  const details = entry.details;
  switch (entry.action) {
    case "patient.view":
      return "Viewed the record";
    case "patient.create":
      return `Registered the patient${details.familyOf ? ` in the family of #${String(details.familyOf)}` : ""}${
        details.confirmedDuplicate ? " (despite a likely duplicate)" : ""
      }`;
    case "patient.update": {
      const fields = Array.isArray(details.fields) ? details.fields.map(fieldName) : [];
      return fields.length > 0 ? `Edited: ${fields.join(", ")}` : "Edited the record";
    }
    case "patient.archive":
      return "Archived the record";
    case "patient.restore":
      return "Restored the record";
    case "patient.family":
      return details.change === "unlink"
        ? "Took the patient out of their family"
        : `Put the patient in the family of #${String(details.familyOf)}`;
    case "patient.merge":
      return `Merged record #${String(details.mergedId)} into #${String(details.keptId)}`;
    case "patient.list":
      return "Listed patients";
    case "patient.count":
      return "Counted patients";
    case "appointment.list":
      return details.firstPage === false ? "Listed older appointments" : "Listed the appointments";
    case "appointment.create": {
      const startsAt = instantOf(details.startsAt);
      return startsAt ? `Booked a visit for ${formatClinicDateTime(startsAt, timeZone)}` : "Booked a visit";
    }
    case "appointment.status": {
      const verb = (typeof details.to === "string" && STATUS_VERBS[details.to]) || "Changed a visit's status";
      return `${verb} (${statusWords(details.from)} → ${statusWords(details.to)})`;
    }
    case "appointment.reschedule": {
      const from = details.from as { startsAt?: unknown; dentistId?: unknown } | null | undefined;
      const to = details.to as { startsAt?: unknown; dentistId?: unknown } | null | undefined;
      const before = instantOf(from?.startsAt);
      const after = instantOf(to?.startsAt);
      const moved =
        before && after
          ? `Moved a visit from ${formatClinicDateTime(before, timeZone)} to ${formatClinicDateTime(after, timeZone)}`
          : after
            ? `Moved a visit to ${formatClinicDateTime(after, timeZone)}`
            : "Moved a visit";
      return from && to && from.dentistId !== to.dentistId ? `${moved}, with another dentist` : moved;
    }
    case "alert.add":
      return typeof details.kind === "string" ? `Noted a medical alert (${details.kind})` : "Noted a medical alert";
    case "alert.update": {
      const fields = Array.isArray(details.fields) ? details.fields.join(" and ") : "";
      return fields ? `Corrected a medical alert's ${fields}` : "Corrected a medical alert";
    }
    case "alert.remove":
      return "Removed a medical alert";
    case "login.success":
      return "Signed in";
    case "login.failure":
      return "Failed to sign in";
    case "logout":
      return "Signed out";
    default:
      return entry.action;
  }
}
