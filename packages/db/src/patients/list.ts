// The patient list: one SQL statement per page, whatever the filters and however deep, and no writes.
// Keyset pagination on a unique order (the sort key, then id), so page 10,000 costs what page 1 costs.
import type { EntityManager } from "@mikro-orm/postgresql";
import { ageOn, clinicDay, type PatientStatus, statusSince } from "../clinic-rules.ts";
import { ChairsideError } from "../errors.ts";
import { selectRows } from "../postgres/prepared.ts";
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
  /** The patient's clinic; clients know the few clinics' names from clinics.list (not repeated per row). */
  clinicId: number;
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

/**
 * A row as PostgreSQL returns it. Read as plain rows, not entities: a page is read-only, and hydrating ~200
 * managed entities into an identity map cost more than the query itself. Instants come as epoch milliseconds,
 * and the dates shown come already in the clinic's time zone (formatting them here cost more than the query).
 */
interface ListRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  birthday: string | null;
  archived: boolean;
  last_visit_ms: number | null;
  created_ms: number;
  search_rank: number | null;
  clinic_id: number;
  time_zone: string;
  added_on: string;
  visit_on: string | null;
  service_name: string | null;
  dentist_name: string | null;
}

interface SortColumn {
  /** The SQL the rows are ordered by (matching an index expression), and its own parameters. */
  sql: string;
  sqlParams?: unknown[];
  /** The same order over the page's columns, once the page has been chosen (see PAGE_COLUMNS). */
  pageSql: string;
  /** Set for the search rank, which ascends whatever the chosen direction. */
  alwaysAscending?: boolean;
  /** How the cursor's value re-enters the query, with the same type and NULL handling. */
  param: string;
  value(row: ListRow): string | number | null;
}

const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const SORT_COLUMNS: Record<PatientListInput["sort"]["by"], SortColumn[]> = {
  name: [
    { sql: "p.last_name", pageSql: "page.last_name", param: "?::text", value: (row) => row.last_name },
    { sql: "p.first_name", pageSql: "page.first_name", param: "?::text", value: (row) => row.first_name },
  ],
  lastVisit: [
    {
      sql: LAST_VISIT_KEY,
      pageSql: "page.last_visit_key",
      param: `coalesce(?::timestamptz, '-infinity'::timestamptz)`,
      value: (row) => isoOf(row.last_visit_ms),
    },
  ],
  createdAt: [
    { sql: "p.created_at", pageSql: "page.created_at", param: "?::timestamptz", value: (row) => isoOf(row.created_ms) },
  ],
};
const ID_COLUMN: SortColumn = { sql: "p.id", pageSql: "page.id", param: "?::int", value: (row) => row.id };

/**
 * Exact full-name matches (either order) first, then names starting with the first term, then the rest.
 * Every match is ranked before the page is cut, so the rank reads the stored normalised names rather than
 * normalising (unaccent) each matching row's names again: at 100,000 patients a broad search ranks ~9,000 rows.
 */
const SEARCH_RANK = `(case
  when p.search_first_name || ' ' || p.search_last_name = search_normalize(?::text)
    or p.search_last_name || ' ' || p.search_first_name = search_normalize(?::text) then 0
  when p.search_last_name like search_normalize(?::text) || '%'
    or p.search_first_name like search_normalize(?::text) || '%' then 1
  else 2 end)`;

/** What the page's rows carry out of the inner query: the list's fields and the outer order's keys. */
const PAGE_COLUMNS = `p.id, p.first_name, p.last_name, p.email, p.phone, p.birthday::text as birthday,
  p.archived_at is not null as archived, p.clinic_id, p.last_visit_id, p.created_at,
  ${LAST_VISIT_KEY} as last_visit_key,
  (extract(epoch from p.last_visit_at) * 1000)::float8 as last_visit_ms,
  (extract(epoch from p.created_at) * 1000)::float8 as created_ms`;

export async function listPatients(
  em: EntityManager,
  input: PatientListInput,
  scope: ClinicScope,
  env: PatientListEnvironment,
): Promise<PatientListPage> {
  const descending = input.sort.direction === "desc";
  const fingerprint = queryFingerprint({
    search: input.search?.trim().toLowerCase() ?? "",
    status: input.status,
    archived: input.archived,
    clinicId: input.clinicId ?? null,
    sort: input.sort,
  });

  const clinics = visibleClinics(scope, input.clinicId);
  const conditions = [
    archivedCondition(input.archived),
    clinicCondition(clinics),
    input.status === "all" ? null : statusCondition(input.status, clinics, env.clinicTimeZones, env.now),
    searchCondition(input.search),
  ].filter((condition): condition is Condition => condition !== null);

  const order: SortColumn[] = [...SORT_COLUMNS[input.sort.by], ID_COLUMN];
  const search = searchTerms(input.search);
  let rankSelect: Condition = { sql: "null::int as search_rank", params: [] };
  if (search) {
    const first = escapeLike(search.terms[0] as string);
    const rankParams = [search.phrase, search.phrase, first, first];
    rankSelect = { sql: `${SEARCH_RANK} as search_rank`, params: rankParams };
    order.unshift({
      sql: SEARCH_RANK,
      sqlParams: rankParams,
      pageSql: "page.search_rank",
      alwaysAscending: true,
      param: "?::int",
      value: (row) => row.search_rank,
    });
  }

  if (input.cursor) {
    const values = decodeCursor(input.cursor, fingerprint, env.cursorSecret);
    if (values.length !== order.length) throw invalidCursor();
    const [sql, params] = keysetCondition(order, values, descending);
    conditions.push({ sql, params });
  }
  const direction = (column: SortColumn) => (descending && !column.alwaysAscending ? "desc" : "asc");

  // The page is chosen from patient alone (an index range, or the search matches), and only its rows are
  // joined to their clinic and last visit: joining first would join every search match before the sort.
  const sql = `select page.id, page.first_name, page.last_name, page.email, page.phone, page.birthday, page.archived,
      page.last_visit_ms, page.created_ms, page.search_rank, page.clinic_id, c.time_zone,
      to_char(page.created_at at time zone c.time_zone, 'YYYY-MM-DD') as added_on,
      to_char(lv.starts_at at time zone c.time_zone, 'YYYY-MM-DD') as visit_on,
      s.name as service_name, d.name as dentist_name
    from (
      select ${PAGE_COLUMNS}, ${rankSelect.sql}
        from patient p
       ${conditions.length ? `where ${conditions.map((condition) => `(${condition.sql})`).join(" and ")}` : ""}
       order by ${order.map((column) => `${column.sql} ${direction(column)}`).join(", ")}
       limit ${pageLimit(input.limit)}
    ) page
    join clinic c on c.id = page.clinic_id
    left join appointment lv on lv.id = page.last_visit_id
    left join service s on s.id = lv.service_id
    left join staff_member d on d.id = lv.dentist_id
    order by ${order.map((column) => `${column.pageSql} ${direction(column)}`).join(", ")}`;
  const params = [
    ...rankSelect.params,
    ...conditions.flatMap((condition) => condition.params),
    ...order.flatMap((column) => column.sqlParams ?? []),
  ];

  // A search's best plan depends on how many patients its terms match; every other shape plans once.
  const rows = await selectRows<ListRow>(em, sql, params, search ? "per-call" : "reuse");
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > input.limit && last
      ? encodeCursor(fingerprint, order.map((column) => column.value(last)) as CursorValues, env.cursorSecret)
      : null;
  return { items: page.map((row) => toListItem(row, env.now)), nextCursor };
}

/** One more row than the page, to know whether another page follows. In the SQL text rather than bound:
 *  a plan kept for "limit $n" would be made without knowing the page is small. */
function pageLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ChairsideError("BAD_REQUEST", "invalid page size");
  return limit + 1;
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

function toListItem(row: ListRow, now: Date): PatientListItem {
  const day = clinicDay(row.time_zone, now);
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    age: ageOn(row.birthday, day.today),
    status: statusSince(row.last_visit_ms, day.activeSince.getTime()),
    clinicId: row.clinic_id,
    archived: row.archived,
    addedOn: row.added_on,
    lastVisit:
      row.visit_on !== null
        ? { on: row.visit_on, service: row.service_name ?? "", dentist: row.dentist_name ?? "" }
        : null,
  };
}
