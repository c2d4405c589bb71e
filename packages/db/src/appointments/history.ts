// A patient's appointments, newest first: one SQL statement per page, keyset-paginated on (startsAt, id).
// The patient is looked up in the same statement, inside the caller's clinics, so that a patient outside
// them is NOT_FOUND (never an empty history that would reveal they exist) at no extra cost.
import type { EntityManager } from "@mikro-orm/postgresql";
import { sql } from "kysely";
import { z } from "zod";
import { ChairsideError } from "../errors.ts";
import { type Page, Paging, positionId, positionInstant } from "../paging.ts";
import { clinicCondition } from "../patients/filters.ts";
import { rowsOf, sqlFor } from "../postgres/sql.ts";
import type { RequestScope } from "../scope.ts";
import type { AppointmentHistoryInput } from "./input.ts";
import { type AppointmentItem, type AppointmentRow, itemColumns, toAppointmentItem } from "./items.ts";

export type AppointmentHistoryPage = Page<AppointmentItem>;

const POSITION = z.tuple([positionInstant, positionId]);

export async function listPatientAppointments(
  request: RequestScope,
  em: EntityManager,
  input: AppointmentHistoryInput,
): Promise<AppointmentHistoryPage> {
  const paging = new Paging({
    query: { list: "appointment history", patientId: input.patientId },
    limit: input.limit,
    secret: request.cursorSecret,
    position: POSITION,
  });
  const after = paging.after(input.cursor);
  const db = sqlFor(em);

  // The lateral subquery walks appointment_patient_starts_idx backwards from the cursor and stops after
  // limit + 1 rows (the extra one says whether there is a next page).
  let history = db
    .selectFrom("appointment as a")
    .innerJoin("service as s", "s.id", "a.service_id")
    .innerJoin("staff_member as d", "d.id", "a.dentist_id")
    .innerJoin("clinic as c", "c.id", "a.clinic_id")
    .select(itemColumns)
    .whereRef("a.patient_id", "=", sql.ref("p.id"))
    .orderBy("a.starts_at", "desc")
    .orderBy("a.id", "desc")
    .limit(paging.rowsToRead);
  if (after) {
    history = history.where((eb) =>
      eb(
        eb.refTuple("a.starts_at", "a.id"),
        "<",
        eb.tuple(eb.cast<Date>(eb.val(after[0]), "timestamptz"), eb.cast<number>(eb.val(after[1]), "integer")),
      ),
    );
  }
  let query = db
    .selectFrom("patient as p")
    .leftJoinLateral(history.as("h"), (join) => join.onTrue())
    .select("p.id as patient_id")
    .selectAll("h")
    .where("p.id", "=", input.patientId)
    .orderBy("h.starts_at", "desc")
    .orderBy("h.id", "desc");
  const visible = clinicCondition(request.clinics.clinicIds);
  if (visible) query = query.where(visible);
  const rows = await rowsOf(em, query);
  if (rows.length === 0) throw new ChairsideError("NOT_FOUND", "no such patient");

  // A patient without appointments comes back as one row of nulls.
  const appointments = rows.filter((row): row is typeof row & AppointmentRow => row.id !== null);
  return paging.page(appointments, (row) => [new Date(row.starts_at).toISOString(), row.id], toAppointmentItem);
}
