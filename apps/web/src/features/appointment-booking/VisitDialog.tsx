// Booking a visit for the open patient, or moving one of theirs: one dialog for both. The dentist's clash is shown
// at the time field; a move that someone else's change overtook shows the visit as it is now, to move anyway or
// keep. A dentist books and moves only their own visits (the policy's "own" reach), so they are the only choice.
import type { DentistBusyConflict, StaleAppointmentConflict } from "@chairside/db";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { conflictDetails, describeError, fieldErrorsOf } from "../../app/api-errors.ts";
import { mayChangeAppointment } from "../../app/permissions.ts";
import { type RouterOutputs, trpc } from "../../app/trpc.ts";
import { capitalize, formatClinicDateTime } from "../../ui/format.ts";
import { Modal } from "../../ui/Modal.tsx";
import { useSignedInStaff } from "../auth/session.tsx";
import { placePatientInLists } from "../patients-list/list-cache.ts";
import { formatClinicTime } from "./clinic-time.ts";
import { VisitFields } from "./VisitFields.tsx";
import { showSavedVisit, type Visit } from "./visit-cache.ts";
import {
  blankVisit,
  type VisitFieldErrors,
  type VisitFormField,
  type VisitFormValues,
  validateBooking,
  validateMove,
  visitFieldErrors,
  visitValuesOf,
} from "./visit-form.ts";
import "./visit-booking.css";

type PatientRecord = RouterOutputs["patients"]["byId"];

interface VisitDialogProps {
  record: PatientRecord;
  /** The visit to move; absent, a new one is booked. */
  visit?: Visit;
  onClose(): void;
  onSaved(visit: Visit): void;
}

const REFERENCE_DATA = { staleTime: 10 * 60_000 } as const;

export function VisitDialog({ record, visit, onClose, onSaved }: VisitDialogProps) {
  const staff = useSignedInStaff();
  const queryClient = useQueryClient();
  const timeZone = record.clinic.timeZone;
  const clinicId = visit?.clinic.id ?? record.clinic.id;
  const services = trpc.services.list.useQuery(undefined, REFERENCE_DATA);
  const dentists = trpc.staff.dentists.useQuery({ clinicId }, REFERENCE_DATA);
  const bookable: Visit["dentist"][] = (dentists.data ?? []).filter((dentist) =>
    mayChangeAppointment(staff, dentist.id),
  );
  // The visit's own dentist stays a choice even if they no longer take new appointments.
  if (visit && !bookable.some((dentist) => dentist.id === visit.dentist.id)) bookable.unshift(visit.dentist);
  const onlyDentist = bookable.length === 1 ? bookable[0]?.id : undefined;

  // The visit as the user last saw it: a move says so, and is refused if someone else changed it since.
  const [seen, setSeen] = useState(visit);
  const [values, setValues] = useState<VisitFormValues>(() =>
    visit ? visitValuesOf(visit, timeZone) : blankVisit(staff.role === "dentist" ? staff.id : undefined),
  );
  const [checkErrors, setCheckErrors] = useState<VisitFieldErrors>({});
  const [editedSinceSave, setEditedSinceSave] = useState<ReadonlySet<VisitFormField>>(new Set());
  const [focusRequest, setFocusRequest] = useState(0);
  const [attempted, setAttempted] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const saved = (patientVisit: Visit) => {
    showSavedVisit(queryClient, record.id, patientVisit);
    onSaved(patientVisit);
  };
  const book = trpc.appointments.create.useMutation({ onSuccess: saved });
  const move = trpc.appointments.reschedule.useMutation({
    onSuccess: ({ appointment, patient }) => {
      placePatientInLists(queryClient, patient);
      saved(appointment);
    },
  });
  const saving = visit ? move : book;
  const error = saving.error;

  const busy = conflictDetails<DentistBusyConflict>(error, ["dentistBusy"]);
  const stale = conflictDetails<StaleAppointmentConflict>(error, ["stale"]);
  const apiIssues = fieldErrorsOf(error);
  const serverErrors = visitFieldErrors(apiIssues);
  if (busy) {
    // The dentist the refused save asked for (the choice may have changed since).
    const asked = visit ? (move.variables?.dentistId ?? seen?.dentist.id) : book.variables?.dentistId;
    const dentist = bookable.find((candidate) => candidate.id === asked)?.name ?? "The dentist";
    const { startsAt, endsAt, service } = busy.clashesWith;
    serverErrors.time = [
      `${dentist} already has a visit from ${formatClinicTime(startsAt, timeZone)} to ${formatClinicTime(endsAt, timeZone)} (${service.name}); choose another time`,
    ];
  }
  const errors: VisitFieldErrors = { ...checkErrors };
  for (const [field, messages] of Object.entries(serverErrors) as [VisitFormField, string[]][]) {
    if (!editedSinceSave.has(field) && !errors[field]) errors[field] = messages;
  }
  const fieldIssues = Object.keys(errors).length > 0;
  const otherFailure = error && !busy && !stale && Object.keys(serverErrors).length === 0 ? error : null;

  // A clinic with one dentist (or a dentist booking themselves) needs no choosing.
  useEffect(() => {
    if (onlyDentist === undefined) return;
    setValues((current) => (current.dentistId === "" ? { ...current, dentistId: String(onlyDentist) } : current));
  }, [onlyDentist]);

  // After a refused save, the first field with an issue takes the focus, so its message is read out with it.
  useEffect(() => {
    if (focusRequest === 0 && !error) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest, error]);

  const refuse = (issues: VisitFieldErrors) => {
    setCheckErrors(issues);
    setFocusRequest((n) => n + 1);
  };
  const save = (from: Visit | undefined) => {
    setAttempted(true);
    setEditedSinceSave(new Set());
    if (from) {
      const checked = validateMove(from, values, timeZone);
      if (!checked.ok) return refuse(checked.errors);
      move.mutate(checked.input);
    } else {
      const checked = validateBooking(record.id, values, timeZone);
      if (!checked.ok) return refuse(checked.errors);
      book.mutate(checked.input);
    }
    setCheckErrors({});
  };
  const onChange = (field: VisitFormField, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setCheckErrors(({ [field]: _cleared, ...rest }) => rest);
    setEditedSinceSave((current) => new Set(current).add(field));
  };

  const title = visit ? "Move the visit" : `Book a visit for ${record.firstName} ${record.lastName}`;
  return (
    <Modal labelledBy="visit-dialog-title" onClose={onClose} className="visit-dialog">
      <form
        ref={form}
        noValidate
        aria-labelledby="visit-dialog-title"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          save(seen);
        }}
      >
        <header className="modal-header">
          <h2 id="visit-dialog-title">{title}</h2>
          {visit && (
            <p className="muted">
              {record.firstName} {record.lastName}: {visit.service.name}, now{" "}
              {formatClinicDateTime(visit.startsAt, timeZone)}
            </p>
          )}
        </header>
        <div className="modal-body">
          {stale && (
            <section className="dialog-warning visit-stale" role="alert" aria-labelledby="visit-stale-heading">
              <h3 id="visit-stale-heading">Someone else changed this visit first</h3>
              <p>
                It is now {formatClinicDateTime(stale.current.startsAt, timeZone)} with {stale.current.dentist.name} (
                {capitalize(stale.current.status)}).
              </p>
              <div className="form-actions">
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => {
                    showSavedVisit(queryClient, record.id, stale.current);
                    onClose();
                  }}
                >
                  Keep their change
                </button>
                <button
                  type="button"
                  className="button button--primary button--small"
                  disabled={move.isPending}
                  onClick={() => {
                    setSeen(stale.current);
                    save(stale.current);
                  }}
                >
                  Move it anyway
                </button>
              </div>
            </section>
          )}
          {(services.isError || dentists.isError) && (
            <p className="form-error" role="alert">
              {describeError(services.error ?? dentists.error)}
            </p>
          )}
          <VisitFields
            values={values}
            errors={errors}
            onChange={onChange}
            services={services.data ?? []}
            dentists={bookable}
            clinic={{ name: visit?.clinic.name ?? record.clinic.name, timeZone }}
            kind={visit ? "move" : "book"}
          />
          {attempted && fieldIssues && !saving.isPending && (
            <p className="form-error" role="alert">
              {visit ? "The visit was not moved" : "The visit was not booked"}: see{" "}
              {Object.keys(errors).join() === "time" ? "the message beside the time" : "the messages beside the fields"}
              .
            </p>
          )}
          {otherFailure && (
            <p className="form-error" role="alert">
              {/* An issue with the patient (archived meanwhile) is no field's: said here, in the server's words. */}
              {apiIssues.patientId?.[0] ? `${capitalize(apiIssues.patientId[0])}.` : describeError(otherFailure)}
            </p>
          )}
        </div>
        <footer className="modal-footer form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={saving.isPending || Boolean(stale)}>
            {saving.isPending ? "Saving…" : visit ? "Move visit" : "Book visit"}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
