// How an appointment leaves the data layer: the item a patient's history lists and every write returns,
// read with explicit columns so that nothing else (the patient, internal timestamps) leaks.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { ExpressionBuilder } from "kysely";
import type { AppointmentStatus } from "../entities/index.ts";
import { type PatientListRow, patientListRow } from "../patients/list.ts";
import { type ChairsideTables, firstRowOf, sqlFor } from "../postgres/sql.ts";
import type { RequestScope } from "../scope.ts";

export interface AppointmentItem {
  id: number;
  startsAt: Date;
  status: AppointmentStatus;
  completedAt: Date | null;
  notes: string;
  service: { id: number; name: string; durationMinutes: number };
  dentist: { id: number; name: string };
  clinic: { id: number; name: string };
}

/** A status change or a move, and the patient's list row as it stands after it (status, last visit). */
export interface AppointmentChange {
  appointment: AppointmentItem;
  patient: PatientListRow;
}

/** The tables an item is read from: `appointment as a` with its service, dentist and clinic. */
export type ItemFrom = {
  a: ChairsideTables["appointment"];
  s: ChairsideTables["service"];
  d: ChairsideTables["staff_member"];
  c: ChairsideTables["clinic"];
};

/** The item's columns (see ITEM_JOINS). */
export const itemColumns = (eb: ExpressionBuilder<ItemFrom, keyof ItemFrom>) =>
  [
    eb.ref("a.id").as("id"),
    eb.ref("a.starts_at").as("starts_at"),
    eb.ref("a.status").as("status"),
    eb.ref("a.completed_at").as("completed_at"),
    eb.ref("a.notes").as("notes"),
    eb.ref("s.id").as("service_id"),
    eb.ref("s.name").as("service_name"),
    eb.ref("s.duration_minutes").as("service_duration_minutes"),
    eb.ref("d.id").as("dentist_id"),
    eb.ref("d.name").as("dentist_name"),
    eb.ref("c.id").as("clinic_id"),
    eb.ref("c.name").as("clinic_name"),
  ] as const;

/** `appointment as a` with what an item shows of it. */
export function itemsFrom(em: EntityManager) {
  return sqlFor(em)
    .selectFrom("appointment as a")
    .innerJoin("service as s", "s.id", "a.service_id")
    .innerJoin("staff_member as d", "d.id", "a.dentist_id")
    .innerJoin("clinic as c", "c.id", "a.clinic_id");
}

/** One appointment row as itemColumns selects it. Timestamps arrive as text (MikroORM's type parsers). */
export interface AppointmentRow {
  id: number;
  starts_at: Date | string;
  status: AppointmentStatus;
  completed_at: Date | string | null;
  notes: string;
  service_id: number;
  service_name: string;
  service_duration_minutes: number;
  dentist_id: number;
  dentist_name: string;
  clinic_id: number;
  clinic_name: string;
}

/** A timestamp as PostgreSQL writes it ("2026-06-15 09:30:00+00"), as an instant. */
export const instant = (text: Date | string): Date => new Date(text);

export function toAppointmentItem(row: AppointmentRow): AppointmentItem {
  return {
    id: row.id,
    startsAt: instant(row.starts_at),
    status: row.status,
    completedAt: row.completed_at === null ? null : instant(row.completed_at),
    notes: row.notes,
    service: { id: row.service_id, name: row.service_name, durationMinutes: row.service_duration_minutes },
    dentist: { id: row.dentist_id, name: row.dentist_name },
    clinic: { id: row.clinic_id, name: row.clinic_name },
  };
}

/** One appointment as an item (inside the caller's transaction, when there is one). */
export async function readAppointment(em: EntityManager, id: number): Promise<AppointmentItem> {
  const row = await firstRowOf(em, itemsFrom(em).select(itemColumns).where("a.id", "=", id));
  if (!row) throw new Error(`appointment ${id} vanished while it was being read`);
  return toAppointmentItem(row);
}

/**
 * An appointment and its patient's list row as they stand after a change. Read inside the change's transaction,
 * after the last_visit trigger has run: never a stale Patient entity.
 */
export async function readAppointmentChange(
  request: RequestScope,
  em: EntityManager,
  id: number,
): Promise<AppointmentChange> {
  const row = await firstRowOf(em, itemsFrom(em).select(itemColumns).select("a.patient_id").where("a.id", "=", id));
  if (!row) throw new Error(`appointment ${id} vanished while it was being read`);
  return { appointment: toAppointmentItem(row), patient: await patientListRow(request, em, row.patient_id) };
}
