// An audit entry as the server hands it over: resolved at the request (who, from where, when), and written
// either inside the request's own transaction (edits) or in a batch soon after (reads, sign-ins).
import type { EntityManager } from "@mikro-orm/postgresql";
import { AuditEntry, Patient } from "../entities/index.ts";
import { toStorableText } from "../text.ts";
import type { AuditAction } from "./actions.ts";

export interface AuditEntryInput {
  at: Date;
  action: AuditAction;
  staffId: number | null;
  /** The email a sign-in was attempted with. */
  email: string | null;
  /** null with a patient: the patient's clinic, looked up when the entry is written. */
  clinicId: number | null;
  patientId: number | null;
  details: Record<string, unknown>;
  clientAddress: string;
}

/** Every string in `value` (keys included) as PostgreSQL can store it: NUL and lone surrogates as U+FFFD. */
function storable<T>(value: T): T {
  if (typeof value === "string") return toStorableText(value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [storable(key), storable(field)])) as T;
  }
  return value;
}

/** The entry as PostgreSQL can store it, whatever text the request carried: no entry is refused for its text. */
export function storableEntry(entry: AuditEntryInput): AuditEntryInput {
  return {
    ...entry,
    email: storable(entry.email),
    details: storable(entry.details),
    clientAddress: storable(entry.clientAddress),
  };
}

/**
 * Writes entries with `em`, inside whatever transaction `em` is in: an edit and its entries commit or roll
 * back together. One INSERT (plus one SELECT for patients' clinics when an entry left its clinic out).
 */
export async function insertAuditEntries(em: EntityManager, entries: readonly AuditEntryInput[]): Promise<void> {
  if (entries.length === 0) return;
  const unknownClinics = [
    ...new Set(entries.filter((e) => e.clinicId === null && e.patientId !== null).map((e) => e.patientId as number)),
  ];
  const clinicOf = new Map<number, number>();
  if (unknownClinics.length > 0) {
    const patients = await em.find(Patient, { id: { $in: unknownClinics } }, { fields: ["clinic"] });
    for (const patient of patients) clinicOf.set(patient.id, patient.clinic.id);
  }
  await em.insertMany(
    AuditEntry,
    entries.map(storableEntry).map((entry) => ({
      at: entry.at,
      action: entry.action,
      staff: entry.staffId,
      email: entry.email,
      clinicId: entry.clinicId ?? (entry.patientId === null ? null : (clinicOf.get(entry.patientId) ?? null)),
      patient: entry.patientId,
      details: entry.details,
      clientAddress: entry.clientAddress,
    })),
  );
}
