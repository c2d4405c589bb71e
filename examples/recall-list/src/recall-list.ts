// The recall list: a clinic's patients due for recall (recall.list, the same procedure as the SPA's Recall view),
// overdue first, as CSV rows, read page by page, so that a clinic of any size streams in constant memory.
import { allPages, type ChairsideClient, type RouterOutputs } from "@chairside/client";
import { csvRecord } from "@chairside/csv";

export type RecallListItem = RouterOutputs["recall"]["list"]["items"][number];

export const RECALL_COLUMNS = [
  "id",
  "last_name",
  "first_name",
  "email",
  "phone",
  "last_visit",
  "recall_due",
  "days_overdue",
  "clinic",
] as const;

export function recallRecord(patient: RecallListItem, clinicName: string): string {
  return csvRecord([
    patient.id,
    patient.lastName,
    patient.firstName,
    patient.email,
    patient.phone,
    // Dates in the clinic's own time zone (YYYY-MM-DD).
    patient.lastVisit?.on,
    patient.recall.dueOn,
    patient.recall.overdueDays,
    clinicName,
  ]);
}

/** The header, then one record per patient due for recall at the clinic, the most overdue first. */
export async function* recallList(
  client: ChairsideClient,
  clinic: { id: number; name: string },
): AsyncGenerator<string> {
  yield csvRecord(RECALL_COLUMNS);
  const pages = allPages((cursor) => client.recall.list.query({ clinicId: clinic.id, cursor, limit: 100 }));
  for await (const page of pages) yield page.items.map((patient) => recallRecord(patient, clinic.name)).join("");
}
