// A patient's appointments, newest first: one SQL statement per page, keyset-paginated on (startsAt, id).
// The patient is looked up in the same statement, inside the caller's clinics, so that a patient outside
// them is NOT_FOUND (never an empty history that would reveal they exist) at no extra cost.
import type { EntityManager } from "@mikro-orm/postgresql";
import { ChairsideError } from "../errors.ts";
import { type ClinicScope, clinicCondition } from "../patients/filters.ts";
import { decodeCursor, encodeCursor, queryFingerprint } from "../patients/list-cursor.ts";
import type { AppointmentHistoryInput } from "./input.ts";
import { type AppointmentItem, type AppointmentRow, ITEM_COLUMNS, ITEM_JOINS, toAppointmentItem } from "./items.ts";

export interface AppointmentHistoryPage {
  items: AppointmentItem[];
  nextCursor: string | null;
}

/** A history row: the patient, and one appointment of theirs or (none at all) nulls. */
type HistoryRow = { patient_id: number } & (AppointmentRow | { id: null });
const hasAppointment = (row: HistoryRow): row is { patient_id: number } & AppointmentRow => row.id !== null;

const invalidCursor = () =>
  new ChairsideError("BAD_REQUEST", "invalid cursor: malformed; start again from the first page");

/** The position after which a page starts, from a cursor this server sealed for this patient's history. */
function positionOf(cursor: string, fingerprint: string, secret: string): { startsAt: string; id: number } {
  const [startsAt, id, ...rest] = decodeCursor(cursor, fingerprint, secret);
  if (typeof startsAt !== "string" || Number.isNaN(Date.parse(startsAt))) throw invalidCursor();
  if (typeof id !== "number" || !Number.isInteger(id) || rest.length > 0) throw invalidCursor();
  return { startsAt, id };
}

export async function listPatientAppointments(
  em: EntityManager,
  input: AppointmentHistoryInput,
  scope: ClinicScope,
  env: { cursorSecret: string },
): Promise<AppointmentHistoryPage> {
  const fingerprint = queryFingerprint({ list: "appointment history", patientId: input.patientId });
  const after = input.cursor ? positionOf(input.cursor, fingerprint, env.cursorSecret) : null;
  const clinics = clinicCondition(scope.clinicIds);

  // The lateral subquery walks appointment_patient_starts_idx backwards from the cursor and stops after
  // limit + 1 rows (the extra one says whether there is a next page).
  const rows = await em.execute<HistoryRow[]>(
    `select p.id as patient_id, h.*
      from patient p
      left join lateral (
        select ${ITEM_COLUMNS}
          from appointment a ${ITEM_JOINS}
         where a.patient_id = p.id
           ${after ? "and (a.starts_at, a.id) < (?::timestamptz, ?::int)" : ""}
         order by a.starts_at desc, a.id desc
         limit ?
      ) h on true
      where p.id = ? ${clinics ? `and ${clinics.sql}` : ""}
      order by h.starts_at desc, h.id desc`,
    [...(after ? [after.startsAt, after.id] : []), input.limit + 1, input.patientId, ...(clinics?.params ?? [])],
  );
  if (rows.length === 0) throw new ChairsideError("NOT_FOUND", "no such patient");

  const appointments = rows.filter(hasAppointment);
  const items = appointments.slice(0, input.limit).map(toAppointmentItem);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      appointments.length > input.limit && last
        ? encodeCursor(fingerprint, [last.startsAt.toISOString(), last.id], env.cursorSecret)
        : null,
  };
}
