// audit.list: the trail newest first, filtered by patient, staff member, action and time; one SQL statement
// per page, keyset-paginated on (at, id) along the index that matches the filter.
import type { EntityManager } from "@mikro-orm/postgresql";
import { ChairsideError } from "../errors.ts";
import { decodeCursor, encodeCursor, queryFingerprint } from "../patients/list-cursor.ts";
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

export interface AuditListPage {
  items: AuditListItem[];
  nextCursor: string | null;
}

/** As the driver returns it: bigint as text, timestamps as text (MikroORM's type parsers), jsonb parsed. */
interface AuditRow {
  id: string;
  at: string;
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
}

const invalidCursor = () =>
  new ChairsideError("BAD_REQUEST", "invalid cursor: malformed; start again from the first page");

function positionOf(cursor: string, fingerprint: string, secret: string): { at: string; id: number } {
  const [at, id, ...rest] = decodeCursor(cursor, fingerprint, secret);
  if (typeof at !== "string" || Number.isNaN(Date.parse(at))) throw invalidCursor();
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1 || rest.length > 0) throw invalidCursor();
  return { at, id };
}

export async function listAuditEntries(
  em: EntityManager,
  input: AuditListInput,
  env: { cursorSecret: string },
): Promise<AuditListPage> {
  const fingerprint = queryFingerprint({
    list: "audit",
    patientId: input.patientId ?? null,
    staffId: input.staffId ?? null,
    action: input.action ?? null,
    from: input.from?.toISOString() ?? null,
    to: input.to?.toISOString() ?? null,
  });
  const after = input.cursor ? positionOf(input.cursor, fingerprint, env.cursorSecret) : null;

  const conditions: [string, unknown[]][] = [];
  if (input.patientId !== undefined) conditions.push(["a.patient_id = ?", [input.patientId]]);
  if (input.staffId !== undefined) conditions.push(["a.staff_id = ?", [input.staffId]]);
  if (input.action !== undefined) conditions.push(["a.action = ?", [input.action]]);
  if (input.from) conditions.push(["a.at >= ?::timestamptz", [input.from.toISOString()]]);
  if (input.to) conditions.push(["a.at < ?::timestamptz", [input.to.toISOString()]]);
  if (after) conditions.push(["(a.at, a.id) < (?::timestamptz, ?::bigint)", [after.at, after.id]]);

  const rows = await em.execute<AuditRow[]>(
    `select a.id, a.at, a.action, a.email, a.clinic_id, a.details, a.client_address,
            s.id as staff_id, s.name as staff_name,
            p.id as patient_id, p.first_name as patient_first_name, p.last_name as patient_last_name
       from audit_entry a
       left join staff_member s on s.id = a.staff_id
       left join patient p on p.id = a.patient_id
      ${conditions.length ? `where ${conditions.map(([sql]) => sql).join(" and ")}` : ""}
      order by a.at desc, a.id desc
      limit ?`,
    [...conditions.flatMap(([, params]) => params), input.limit + 1],
  );

  const items = rows.slice(0, input.limit).map(toAuditItem);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor(fingerprint, [last.at.toISOString(), last.id], env.cursorSecret)
        : null,
  };
}

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
