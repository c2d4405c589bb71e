// The recall list: a clinic's inactive patients (no visit within the activity window) as CSV rows, read
// page by page from the patient list, so that a clinic of any size streams in constant memory.
import { type ChairsideClient, listAllPatients, type PatientListItem } from "@chairside/client";
import { csvRecord } from "./csv.ts";

export const RECALL_COLUMNS = ["id", "last_name", "first_name", "email", "phone", "last_visit", "clinic"] as const;

export function recallRecord(patient: PatientListItem, clinicName: string): string {
  return csvRecord([
    patient.id,
    patient.lastName,
    patient.firstName,
    patient.email,
    patient.phone,
    // The last visit's date in the clinic's own time zone (YYYY-MM-DD).
    patient.lastVisit?.on,
    clinicName,
  ]);
}

/** The header, then one record per inactive, not archived patient of the clinic, by last name. */
export async function* recallList(
  client: ChairsideClient,
  clinic: { id: number; name: string },
): AsyncGenerator<string> {
  yield csvRecord(RECALL_COLUMNS);
  const patients = listAllPatients(client, {
    clinicId: clinic.id,
    status: "inactive",
    archived: "exclude",
    sort: { by: "name", direction: "asc" },
  });
  for await (const patient of patients) yield recallRecord(patient, clinic.name);
}
