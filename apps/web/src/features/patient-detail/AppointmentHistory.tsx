// The patient's appointments, newest first, as their own infinite list: the first page loads with the record (the
// desk opens it to see them, however far the banners and sections above push them down), older ones as the user
// scrolls to the end (or asks for them). Visits can be completed or cancelled here; the patient's list row and
// record follow without a reload.
import { HISTORY_PAGE_SIZE } from "@chairside/db/schemas";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, useState } from "react";
import { describeError } from "../../app/api-errors.ts";
import { mayChangeAppointment } from "../../app/permissions.ts";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import { ErrorState } from "../../ui/ErrorState.tsx";
import { capitalize, formatClinicDateTime } from "../../ui/format.ts";
import { useWhenVisible } from "../../ui/use-near-viewport.ts";
import { MoveVisit } from "../appointment-booking/MoveVisit.tsx";
import { useSignedInStaff } from "../auth/session.tsx";
import { placePatientInLists } from "../patients-list/list-cache.ts";
import "./appointment-history.css";

type PatientRecord = RouterOutputs["patients"]["byId"];
type Appointment = RouterOutputs["appointments"]["listByPatient"]["items"][number];
type AppointmentStatus = Appointment["status"];

/** Visits still to be settled: they can be completed (once begun) or cancelled. */
const OPEN_STATUSES: ReadonlySet<AppointmentStatus> = new Set<AppointmentStatus>([
  "pending",
  "confirmed",
  "waiting",
  "reschedule_requested",
  "cancel_requested",
]);

export function AppointmentHistory({ record }: { record: PatientRecord }) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const end = useRef<HTMLDivElement>(null);
  const input = { patientId: record.id, limit: HISTORY_PAGE_SIZE.default };
  const history = trpc.appointments.listByPatient.useInfiniteQuery(input, {
    getNextPageParam: (page) => page.nextCursor,
  });
  const appointments = useMemo(() => history.data?.pages.flatMap((page) => page.items) ?? [], [history.data]);

  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = history;
  const loadOlder = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage && !isFetchNextPageError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);
  useWhenVisible(end, loadOlder);

  const setStatus = trpc.appointments.setStatus.useMutation({
    onSuccess: ({ appointment, patient }) => {
      utils.appointments.listByPatient.setInfiniteData(input, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((item) => (item.id === appointment.id ? appointment : item)),
              })),
            }
          : data,
      );
      placePatientInLists(queryClient, patient);
      void utils.patients.byId.invalidate({ id: patient.id });
    },
  });

  return (
    <section className="history" aria-labelledby="history-heading" aria-busy={history.isFetching}>
      <h3 id="history-heading">Appointments</h3>
      {history.isPending && <p className="muted">Loading appointments…</p>}
      {history.isError && !history.data && (
        <ErrorState
          compact
          title="The appointments could not be loaded"
          error={history.error}
          onRetry={() => void history.refetch()}
        />
      )}
      {history.data && appointments.length === 0 && <p className="muted">No appointments yet.</p>}
      <ol className="boxed-list history-list">
        {appointments.map((appointment) => (
          <AppointmentItem
            key={appointment.id}
            appointment={appointment}
            record={record}
            timeZone={record.clinic.timeZone}
            pending={setStatus.isPending && setStatus.variables?.id === appointment.id}
            error={setStatus.variables?.id === appointment.id ? setStatus.error : null}
            onSetStatus={(status) => setStatus.mutate({ id: appointment.id, status })}
          />
        ))}
      </ol>
      <div ref={end} className="history-end">
        {isFetchingNextPage && <p className="muted">Loading older appointments…</p>}
        {isFetchNextPageError && (
          <ErrorState
            compact
            title="Older appointments could not be loaded"
            error={history.error}
            onRetry={() => void fetchNextPage()}
          />
        )}
        {hasNextPage && !isFetchingNextPage && !isFetchNextPageError && (
          <button type="button" className="button button--small" onClick={loadOlder}>
            Show older appointments
          </button>
        )}
      </div>
    </section>
  );
}

interface AppointmentItemProps {
  appointment: Appointment;
  record: PatientRecord;
  timeZone: string;
  pending: boolean;
  error: unknown;
  onSetStatus(status: "completed" | "cancelled"): void;
}

function AppointmentItem({ appointment, record, timeZone, pending, error, onSetStatus }: AppointmentItemProps) {
  const staff = useSignedInStaff();
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const open = OPEN_STATUSES.has(appointment.status);
  const mayChange = open && mayChangeAppointment(staff, appointment.dentist.id);
  const begun = appointment.startsAt.getTime() <= Date.now();
  const when = formatClinicDateTime(appointment.startsAt, timeZone);

  return (
    <li className="history-item" data-appointment-id={appointment.id} data-status={appointment.status}>
      <div className="history-when">
        <span className="history-date">{when}</span>
        <span className={`appointment-status appointment-status--${appointment.status}`}>
          {capitalize(appointment.status)}
        </span>
      </div>
      <p className="history-what">
        {appointment.service.name} · {appointment.dentist.name}
      </p>
      {appointment.notes && <p className="history-notes">{appointment.notes}</p>}
      {mayChange && (
        <div className="history-actions">
          {confirmingCancel ? (
            <>
              <span>Cancel this appointment?</span>
              <button
                type="button"
                className="button button--danger button--small"
                disabled={pending}
                onClick={() => onSetStatus("cancelled")}
              >
                Cancel appointment
              </button>
              <button type="button" className="button button--small" onClick={() => setConfirmingCancel(false)}>
                Keep it
              </button>
            </>
          ) : (
            <>
              {begun && (
                <button
                  type="button"
                  className="button button--primary button--small"
                  disabled={pending}
                  onClick={() => onSetStatus("completed")}
                  aria-label={`Complete the appointment of ${when}`}
                >
                  {pending ? "Saving…" : "Complete"}
                </button>
              )}
              <MoveVisit record={record} visit={appointment} disabled={pending} />
              <button
                type="button"
                className="button button--small"
                disabled={pending}
                onClick={() => setConfirmingCancel(true)}
                aria-label={`Cancel the appointment of ${when}`}
              >
                Cancel…
              </button>
            </>
          )}
        </div>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {describeError(error)}
        </p>
      ) : null}
    </li>
  );
}
