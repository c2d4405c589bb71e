// The patient list: one SQL statement per page, whatever the filters and however deep, and no writes.
// Keyset pagination on a unique order (the sort key, then id), so page 10,000 costs what page 1 costs.
import { type EntityManager, raw } from "@mikro-orm/postgresql";
import { ageOn, localDate, type PatientStatus, patientStatus } from "../clinic-rules.ts";
import { Patient } from "../entities/index.ts";
import { ChairsideError } from "../errors.ts";
import {
  archivedCondition,
  type ClinicScope,
  type Condition,
  clinicCondition,
  escapeLike,
  LAST_VISIT_KEY,
  searchCondition,
  searchTerms,
  statusCondition,
  visibleClinics,
} from "./filters.ts";
import { type CursorValues, decodeCursor, encodeCursor, queryFingerprint } from "./list-cursor.ts";
import type { PatientListInput } from "./list-input.ts";

export interface PatientListEnvironment {
  now: Date;
  /** Every clinic's time zone. Kept in memory by the caller, so that the status tabs' per-clinic
   *  cutoffs cost no query of their own and a page stays one statement. */
  clinicTimeZones: ReadonlyMap<number, string>;
  cursorSecret: string;
}

/** One row of the list: what the screen shows, nothing more. */
export interface PatientListItem {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  age: number | null;
  status: PatientStatus;
  clinic: { id: number; name: string };
  archived: boolean;
  /** When the record was created, as a date in the clinic's time zone. */
  addedOn: string;
  /** The last completed visit: its date in the clinic's time zone, the service and the dentist. */
  lastVisit: { on: string; service: string; dentist: string } | null;
}

export interface PatientListPage {
  items: PatientListItem[];
  nextCursor: string | null;
}

type Loaded = Awaited<ReturnType<typeof runQuery>>[number];

interface SortColumn {
  /** The SQL the rows are ordered by (matching an index expression), and its own parameters. */
  sql: string;
  sqlParams?: unknown[];
  /** Set for the search rank, which ascends whatever the chosen direction. */
  alwaysAscending?: boolean;
  /** How the cursor's value re-enters the query, with the same type and NULL handling. */
  param: string;
  value(patient: Loaded): string | number | null;
}

const SORT_COLUMNS: Record<PatientListInput["sort"]["by"], SortColumn[]> = {
  name: [
    { sql: "p.last_name", param: "?::text", value: (patient) => patient.lastName },
    { sql: "p.first_name", param: "?::text", value: (patient) => patient.firstName },
  ],
  lastVisit: [
    {
      sql: LAST_VISIT_KEY,
      param: `coalesce(?::timestamptz, '-infinity'::timestamptz)`,
      value: (patient) => patient.lastVisitAt?.toISOString() ?? null,
    },
  ],
  createdAt: [{ sql: "p.created_at", param: "?::timestamptz", value: (patient) => patient.createdAt.toISOString() }],
};
const ID_COLUMN: SortColumn = { sql: "p.id", param: "?::int", value: (patient) => patient.id };

/** Exact full-name matches (either order) first, then names starting with the first term, then the rest. */
const SEARCH_RANK = `(case
  when search_normalize(p.first_name || ' ' || p.last_name) = search_normalize(?::text)
    or search_normalize(p.last_name || ' ' || p.first_name) = search_normalize(?::text) then 0
  when search_normalize(p.last_name) like search_normalize(?::text) || '%'
    or search_normalize(p.first_name) like search_normalize(?::text) || '%' then 1
  else 2 end)`;

function buildQuery(em: EntityManager, input: PatientListInput, scope: ClinicScope, env: PatientListEnvironment) {
  const qb = em
    .createQueryBuilder(Patient, "p")
    .select(["id", "firstName", "lastName", "email", "phone", "birthday", "archivedAt", "lastVisitAt", "createdAt"])
    .leftJoinAndSelect("p.clinic", "c", {}, ["id", "name", "timeZone"])
    .leftJoinAndSelect("p.lastVisit", "lv", {}, ["id", "startsAt"])
    .leftJoinAndSelect("lv.service", "s", {}, ["id", "name"])
    .leftJoinAndSelect("lv.dentist", "d", {}, ["id", "name"]);

  const clinics = visibleClinics(scope, input.clinicId);
  const conditions: (Condition | null)[] = [
    archivedCondition(input.archived),
    clinicCondition(clinics),
    input.status === "all" ? null : statusCondition(input.status, clinics, env.clinicTimeZones, env.now),
    searchCondition(input.search),
  ];
  for (const condition of conditions) if (condition) qb.andWhere(condition.sql, condition.params);

  const search = searchTerms(input.search);
  const order: SortColumn[] = [...SORT_COLUMNS[input.sort.by], ID_COLUMN];
  if (search) {
    const first = escapeLike(search.terms[0] as string);
    const rankParams = [search.phrase, search.phrase, first, first];
    qb.addSelect(raw(`${SEARCH_RANK} as search_rank`, rankParams));
    order.unshift({
      sql: SEARCH_RANK,
      sqlParams: rankParams,
      alwaysAscending: true,
      param: "?::int",
      // Selected as a raw column above, so the partial-load type does not list it.
      value: (patient) => (patient as { searchRank?: number | null }).searchRank ?? null,
    });
  }
  return { qb, order, search };
}

function runQuery(qb: ReturnType<typeof buildQuery>["qb"]) {
  return qb.getResultList();
}

export async function listPatients(
  em: EntityManager,
  input: PatientListInput,
  scope: ClinicScope,
  env: PatientListEnvironment,
): Promise<PatientListPage> {
  const { qb, order } = buildQuery(em, input, scope, env);
  const descending = input.sort.direction === "desc";
  const fingerprint = queryFingerprint({
    search: input.search?.trim().toLowerCase() ?? "",
    status: input.status,
    archived: input.archived,
    clinicId: input.clinicId ?? null,
    sort: input.sort,
  });

  if (input.cursor) {
    const values = decodeCursor(input.cursor, fingerprint, env.cursorSecret);
    if (values.length !== order.length) throw invalidCursor();
    qb.andWhere(...keysetCondition(order, values, descending));
  }
  qb.orderBy(
    order.map((column) => ({
      [raw(column.sql, column.sqlParams)]: descending && !column.alwaysAscending ? "desc" : "asc",
    })),
  );
  qb.limit(input.limit + 1);

  const rows = await runQuery(qb);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > input.limit && last
      ? encodeCursor(fingerprint, order.map((column) => column.value(last)) as CursorValues, env.cursorSecret)
      : null;
  return { items: page.map((patient) => toListItem(patient, env.now)), nextCursor };
}

const invalidCursor = () =>
  new ChairsideError("BAD_REQUEST", "invalid cursor: malformed; start again from the first page");

/**
 * "After the cursor's row" as one row comparison, which the index serves as a range. The search rank
 * always ascends while the chosen sort may descend, so with both it reads: a later rank, or the same
 * rank and the rest beyond the cursor.
 */
function keysetCondition(order: SortColumn[], values: CursorValues, descending: boolean): [string, unknown[]] {
  const [first] = order;
  const ranked = first?.alwaysAscending === true;
  const rest = ranked ? order.slice(1) : order;
  const restValues = ranked ? values.slice(1) : values;
  const restSql = `(${rest.map((c) => c.sql).join(", ")}) ${descending ? "<" : ">"} (${rest.map((c) => c.param).join(", ")})`;
  const restParams = [...rest.flatMap((c) => c.sqlParams ?? []), ...restValues];
  if (!ranked || !first) return [restSql, restParams];
  const rankParams = first.sqlParams ?? [];
  return [
    `(${first.sql} > ?::int or (${first.sql} = ?::int and ${restSql}))`,
    [...rankParams, values[0], ...rankParams, values[0], ...restParams],
  ];
}

function toListItem(patient: Loaded, now: Date): PatientListItem {
  const clinic = patient.clinic.$;
  const visit = patient.lastVisit?.$;
  return {
    id: patient.id,
    firstName: patient.firstName,
    lastName: patient.lastName,
    email: patient.email ?? null,
    phone: patient.phone ?? null,
    age: ageOn(patient.birthday, localDate(now, clinic.timeZone)),
    status: patientStatus(patient.lastVisitAt, clinic.timeZone, now),
    clinic: { id: clinic.id, name: clinic.name },
    archived: patient.archivedAt != null,
    addedOn: localDate(patient.createdAt, clinic.timeZone),
    lastVisit: visit
      ? { on: localDate(visit.startsAt, clinic.timeZone), service: visit.service.$.name, dentist: visit.dentist.$.name }
      : null,
  };
}
