// The record as read: last visit and next appointment first (what the desk asks about), then the details.
import { useClinicFacts } from "../../app/clinics.ts";
import type { RouterOutputs } from "../../app/trpc.ts";
import { ContactLink } from "../../ui/ContactLink.tsx";
import { capitalize, formatBirthday, formatCalendarDate, formatClinicDateTime, formatEmail } from "../../ui/format.ts";
import { usePhoneFormat } from "../../ui/use-phone-format.ts";
import { BookVisit } from "../appointment-booking/BookVisit.tsx";
import { PatientAlerts } from "../patient-alerts/PatientAlerts.tsx";
import { FamilySection } from "../patient-family/FamilySection.tsx";
import { MergedNotice } from "../patient-merge/MergedNotice.tsx";

type PatientRecord = RouterOutputs["patients"]["byId"];

const instantFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });

export function PatientRecordView({ record }: { record: PatientRecord }) {
  const timeZone = record.clinic.timeZone;
  const { visits } = record;
  const clinicPhone = useClinicFacts().get(record.clinic.id)?.phone;
  const formatPhone = usePhoneFormat();
  return (
    <div className="record-view">
      <MergedNotice record={record} />
      <PatientAlerts record={record} />
      <div className="visit-cards">
        <section className="visit-card" aria-labelledby="last-visit-heading">
          <h3 id="last-visit-heading">Last visit</h3>
          {record.lastVisit ? (
            <>
              <p className="visit-card-main" data-testid="record-last-visit">
                {formatCalendarDate(record.lastVisit.on)}
              </p>
              <p className="muted">
                {record.lastVisit.service.name} · {record.lastVisit.dentist.name}
              </p>
            </>
          ) : (
            <p className="visit-card-main muted" data-testid="record-last-visit">
              No completed visit yet
            </p>
          )}
        </section>
        <section className="visit-card" aria-labelledby="next-visit-heading">
          <h3 id="next-visit-heading">Next appointment</h3>
          {record.nextAppointment ? (
            <>
              <p className="visit-card-main">{formatClinicDateTime(record.nextAppointment.startsAt, timeZone)}</p>
              <p className="muted">
                {record.nextAppointment.service.name} · {record.nextAppointment.dentist.name} ·{" "}
                {capitalize(record.nextAppointment.status)}
              </p>
            </>
          ) : (
            <p className="visit-card-main muted">None booked</p>
          )}
          <BookVisit record={record} />
        </section>
      </div>

      <dl className="record-details">
        <Detail label="Date of birth">
          {record.birthday ? `${formatBirthday(record.birthday)} (age ${record.age})` : null}
        </Detail>
        <Detail label="Gender">{record.gender === "unspecified" ? null : capitalize(record.gender)}</Detail>
        <Detail label="Phone">
          {record.phone && <ContactLink contact={formatPhone(record.phone, clinicPhone)} />}
        </Detail>
        <Detail label="Email">{record.email && <ContactLink contact={formatEmail(record.email)} />}</Detail>
        <Detail label="Address" wide>
          {record.address}
        </Detail>
        <Detail label="Notes" wide>
          {record.notes || null}
        </Detail>
        <FamilySection record={record} />
        <Detail label="Clinic">{record.clinic.name}</Detail>
        <Detail label="Recall">
          every {record.recallIntervalMonths === 1 ? "month" : `${record.recallIntervalMonths} months`}
          {record.recallDueOn ? ` · due ${formatCalendarDate(record.recallDueOn)}` : ""}
        </Detail>
        <Detail label="Visits">
          {visits.completed} completed · {visits.upcoming} upcoming · {visits.missed} missed · {visits.cancelled}{" "}
          cancelled
        </Detail>
        <Detail label="Added">{instantFormat.format(record.createdAt)}</Detail>
        <Detail label="Last changed">{instantFormat.format(record.updatedAt)}</Detail>
      </dl>
    </div>
  );
}

function Detail({ label, wide = false, children }: { label: string; wide?: boolean; children: React.ReactNode }) {
  const empty = children === null || children === undefined || children === "";
  return (
    <div className={wide ? "detail detail--wide" : "detail"}>
      <dt>{label}</dt>
      <dd className={empty ? "muted" : undefined}>{empty ? "Not recorded" : children}</dd>
    </div>
  );
}
