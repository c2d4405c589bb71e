// audit.list: the trail newest first, filtered by patient, staff member, action and time; one SQL statement
// per page, keyset-paginated on (at, id) along the index that matches the filter.
import type { EntityManager } from "@mikro-orm/postgresql";
import { expressionBuilder, sql } from "kysely";
import { z } from "zod";
import { type Page, Paging, positionId, positionInstant } from "../paging.ts";
import { rowsOf, sqlFor } from "../postgres/sql.ts";
import type { RequestScope } from "../scope.ts";
import type { AuditAction, AuditListInput } from "./actions.ts";

export interface AuditListItem {
  id: number;
  at: Date;
  action: AuditAction;
  staff: { id: number; name: string } | null;
  email: string | null;
  clinicId: number | null;
  patient: { id: number; firstName: string; lastName: string } | null;
  details: Record<string, unknown>;
  clientAddress: string;
}

export type AuditListPage = Page<AuditListItem>;

const POSITION = z.tuple([positionInstant, positionId]);
const eb = expressionBuilder();

export async function listAuditEntries(
  request: RequestScope,
  em: EntityManager,
  input: AuditListInput,
): Promise<AuditListPage> {
  const paging = new Paging({
    query: {
      list: "audit",
      patientId: input.patientId ?? null,
      staffId: input.staffId ?? null,
      action: input.action ?? null,
      from: input.from?.toISOString() ?? null,
      to: input.to?.toISOString() ?? null,
    },
    limit: input.limit,
    secret: request.cursorSecret,
    position: POSITION,
  });
  const after = paging.after(input.cursor);
  const at = (instant: Date | string) =>
    eb.cast<Date>(eb.val(typeof instant === "string" ? instant : instant.toISOString()), "timestamptz");

  const query = sqlFor(em)
    .selectFrom("audit_entry as a")
    .leftJoin("staff_member as s", "s.id", "a.staff_id")
    .leftJoin("patient as p", "p.id", "a.patient_id")
    .select([
      "a.id",
      "a.at",
      "a.action",
      "a.email",
      "a.clinic_id",
      "a.details",
      "a.client_address",
      "s.id as staff_id",
      "s.name as staff_name",
      "p.id as patient_id",
      "p.first_name as patient_first_name",
      "p.last_name as patient_last_name",
    ])
    // A patient's trail is theirs and that of the records merged into them (patients/merge.ts): ARRAY(subquery),
    // so that the entries are read along audit_entry_patient_at_idx for each of those few patients.
    .$if(input.patientId !== undefined, (q) =>
      q.where(
        "a.patient_id",
        "=",
        sql<number>`any(array(${sqlFor(em)
          .selectFrom("patient as m")
          .select("m.id")
          .where((m) =>
            m.or([m("m.id", "=", input.patientId as number), m("m.merged_into_id", "=", input.patientId as number)]),
          )}))`,
      ),
    )
    .$if(input.staffId !== undefined, (q) => q.where("a.staff_id", "=", input.staffId as number))
    .$if(input.action !== undefined, (q) => q.where("a.action", "=", input.action as AuditAction))
    .$if(input.from !== undefined, (q) => q.where("a.at", ">=", at(input.from as Date)))
    .$if(input.to !== undefined, (q) => q.where("a.at", "<", at(input.to as Date)))
    .$if(after !== null, (q) =>
      q.where((row) =>
        row(
          row.refTuple("a.at", "a.id"),
          "<",
          row.tuple(
            at((after as [string, number])[0]),
            eb.cast<number>(eb.val((after as [string, number])[1]), "bigint"),
          ),
        ),
      ),
    )
    .orderBy("a.at", "desc")
    .orderBy("a.id", "desc")
    .limit(paging.rowsToRead);
  const rows = await rowsOf(em, query);
  return paging.page(rows, (row) => [new Date(row.at).toISOString(), Number(row.id)], toAuditItem);
}

type AuditRow = {
  id: number | string;
  at: Date | string;
  action: AuditAction;
  email: string | null;
  clinic_id: number | null;
  details: Record<string, unknown>;
  client_address: string;
  staff_id: number | null;
  staff_name: string | null;
  patient_id: number | null;
  patient_first_name: string | null;
  patient_last_name: string | null;
};

function toAuditItem(row: AuditRow): AuditListItem {
  return {
    id: Number(row.id),
    at: new Date(row.at),
    action: row.action,
    staff: row.staff_id === null ? null : { id: row.staff_id, name: row.staff_name ?? "" },
    email: row.email,
    clinicId: row.clinic_id,
    patient:
      row.patient_id === null
        ? null
        : { id: row.patient_id, firstName: row.patient_first_name ?? "", lastName: row.patient_last_name ?? "" },
    details: row.details,
    clientAddress: row.client_address,
  };
}
