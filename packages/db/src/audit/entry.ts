// An audit entry as the server hands it over: resolved at the request (who, from where, when), and written
// either inside the request's own transaction (edits) or in a batch soon after (reads, sign-ins).
import type { EntityManager } from "@mikro-orm/postgresql";
import { AuditEntry, Patient } from "../entities/index.ts";
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

/** NUL, which PostgreSQL text and jsonb cannot hold, as U+FFFD: a search typed with one is still recorded. */
function withoutNul<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\0", "\uFFFD") as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [withoutNul(key), withoutNul(field)])) as T;
  }
  return value;
}

/** The entry as PostgreSQL can store it, whatever text the request carried. */
export function storableEntry(entry: AuditEntryInput): AuditEntryInput {
  return { ...entry, email: withoutNul(entry.email), details: withoutNul(entry.details) };
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
