// The audit trail's data API: the trail for owners, and the entries an edit writes in its own transaction.
import type { AuditEntry } from "../entities/audit-entry.ts";
import { ChairsideRepository } from "../repository.ts";
import type { AuditListInput } from "./actions.ts";
import { type AuditEntryInput, insertAuditEntries } from "./entry.ts";
import { type AuditListPage, listAuditEntries } from "./list.ts";

export class AuditRepository extends ChairsideRepository<AuditEntry> {
  /** One page of entries, newest first, filtered by patient, staff member, action and time: one statement. */
  list(input: AuditListInput): Promise<AuditListPage> {
    return listAuditEntries(this.request, this.em, input);
  }

  /** Writes entries inside whatever transaction the repository's EntityManager is in. */
  write(entries: readonly AuditEntryInput[]): Promise<void> {
    return insertAuditEntries(this.em, entries);
  }
}
