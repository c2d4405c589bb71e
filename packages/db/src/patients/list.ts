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
  containsTerms,
  escapeLike,
  joined,
  LAST_VISIT_KEY,
  parenthesised,
  searchTerms,
  sqlOf,
  statusCondition,
  visibleClinics,
  whereClause,
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
  /** The names as the list orders them (see Patient.searchLastName). */
  search_first_name: string;
  search_last_name: string;
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
  /** The SQL the rows are ordered by (matching an index expression). */
  sql: string;
  /** The same key among the chosen rows' columns (see PAGE_COLUMNS), to order them again after the joins. */
  column: string;
  /** How the cursor's value re-enters the query, with the same type and NULL handling. */
  param: string;
  value(row: ListRow): string | number | null;
}

const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const SORT_COLUMNS: Record<PatientListInput["sort"]["by"], SortColumn[]> = {
  name: [
    { sql: "p.search_last_name", column: "search_last_name", param: "?::text", value: (row) => row.search_last_name },
    {
      sql: "p.search_first_name",
      column: "search_first_name",
      param: "?::text",
      value: (row) => row.search_first_name,
    },
  ],
  lastVisit: [
    {
      sql: LAST_VISIT_KEY,
      column: "last_visit_key",
      param: `coalesce(?::timestamptz, '-infinity'::timestamptz)`,
      value: (row) => isoOf(row.last_visit_ms),
    },
  ],
  createdAt: [
    { sql: "p.created_at", column: "created_at", param: "?::timestamptz", value: (row) => isoOf(row.created_ms) },
  ],
};
const ID_COLUMN: SortColumn = { sql: "p.id", column: "id", param: "?::int", value: (row) => row.id };

/** What the chosen rows carry out of the inner query: the list's fields and the order's keys. */
const PAGE_COLUMNS = `p.id, p.first_name, p.last_name, p.search_first_name, p.search_last_name, p.email, p.phone,
  p.birthday::text as birthday, p.archived_at is not null as archived, p.clinic_id, p.last_visit_id, p.created_at,
  ${LAST_VISIT_KEY} as last_visit_key,
  (extract(epoch from p.last_visit_at) * 1000)::float8 as last_visit_ms,
  (extract(epoch from p.created_at) * 1000)::float8 as created_ms`;

const unionAll = (parts: Condition[]) => joined(parts.map(parenthesised), " union all ");

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
  const filters = [
    archivedCondition(input.archived),
    clinicCondition(clinics),
    input.status === "all" ? null : statusCondition(input.status, clinics, env.clinicTimeZones, env.now),
  ].filter((condition): condition is Condition => condition !== null);

  const order: SortColumn[] = [...SORT_COLUMNS[input.sort.by], ID_COLUMN];
  const search = searchTerms(input.search);
  const direction = descending ? "desc" : "asc";
  const orderBy = (alias: string | null) =>
    order.map((column) => `${alias === null ? column.sql : `${alias}.${column.column}`} ${direction}`).join(", ");
  const limit = pageLimit(input.limit);

  // Where the previous page ended: its sort values (after its search rank, for a search).
  let after: { rank: number; values: CursorValues; keyset: Condition } | null = null;
  if (input.cursor) {
    const values = decodeCursor(input.cursor, fingerprint, env.cursorSecret);
    const [rank, ...rest] = search ? values : [0, ...values];
    if (rest.length !== order.length || !Number.isInteger(rank)) throw invalidCursor();
    after = { rank: rank as number, values: rest, keyset: keysetCondition(order, rest, descending) };
  }

  /** The first rows, in the list's order, of the patients that meet every filter and `conditions`. */
  const chosen = (conditions: Condition[], rank: string) => {
    const where = whereClause([...filters, ...conditions]);
    return sqlOf(
      `select ${PAGE_COLUMNS}, ${rank} as search_rank from patient p ${where.sql}
        order by ${orderBy(null)} limit ${limit}`,
      where.params,
    );
  };

  let inner: Condition;
  if (!search) {
    inner = chosen(after ? [after.keyset] : [], "null::int");
  } else {
    // A search ranks its matches (see searchRanks) and each rank is read as its own ordered range, best rank
    // first, so a page reads its 51 rows rather than ranking every match: a common surname matches tens of
    // thousands of patients at scale. PostgreSQL runs the branches of a UNION ALL in turn and stops at the
    // limit, so a rank beyond a full page is never read.
    const ranks = searchRanks(search);
    if (after && (after.rank < 0 || after.rank >= ranks.length)) throw invalidCursor();
    const branches: Condition[] = [];
    for (const [rank, alternatives] of ranks.entries()) {
      if (after && rank < after.rank) continue;
      const parts = alternatives.map((alternative) => {
        if (!after || rank !== after.rank) return chosen(alternative.conditions, String(rank));
        const keyset =
          alternative.lastNamePrefix !== undefined && input.sort.by === "name"
            ? prefixKeyset(after.keyset, after.values[0], alternative.lastNamePrefix, descending)
            : after.keyset;
        return chosen([...alternative.conditions, keyset], String(rank));
      });
      const [only, ...more] = parts;
      if (!only) continue;
      // Alternatives of one rank are merged in the list's order.
      if (more.length === 0) branches.push(only);
      else {
        const merged = unionAll(parts);
        branches.push(
          sqlOf(
            `select * from (${merged.sql}) rank_${rank} order by ${orderBy(`rank_${rank}`)} limit ${limit}`,
            merged.params,
          ),
        );
      }
    }
    const union = unionAll(branches);
    inner = sqlOf(`select * from (${union.sql}) ranked limit ${limit}`, union.params);
  }

  // The page is chosen from patient alone (index ranges), and only its rows are joined to their clinic and
  // last visit: joining first would join every candidate before the limit.
  const sql = `select page.id, page.first_name, page.last_name, page.search_first_name, page.search_last_name,
      page.email, page.phone, page.birthday, page.archived, page.last_visit_ms, page.created_ms, page.search_rank,
      page.clinic_id, c.time_zone,
      to_char(page.created_at at time zone c.time_zone, 'YYYY-MM-DD') as added_on,
      to_char(lv.starts_at at time zone c.time_zone, 'YYYY-MM-DD') as visit_on,
      s.name as service_name, d.name as dentist_name
    from (${inner.sql}) page
    join clinic c on c.id = page.clinic_id
    left join appointment lv on lv.id = page.last_visit_id
    left join service s on s.id = lv.service_id
    left join staff_member d on d.id = lv.dentist_id
    order by ${search ? "page.search_rank, " : ""}${orderBy("page")}`;

  // A search's best plan depends on how many patients its terms match; every other shape plans once.
  const rows = await selectRows<ListRow>(em, sql, inner.params, search ? "per-call" : "reuse");
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > input.limit && last) {
    const values = order.map((column) => column.value(last));
    nextCursor = encodeCursor(
      fingerprint,
      (search ? [last.search_rank, ...values] : values) as CursorValues,
      env.cursorSecret,
    );
  }
  return { items: page.map((row) => toListItem(row, env.now)), nextCursor };
}

/**
 * A search's ranks, best first, each as alternatives (disjoint sets of conditions) read as ordered ranges:
 * 0. the full name exactly, in either order ("ana garcia", "garcia ana");
 * 1. a last name, or else a first name, starting with the first term (and the other terms anywhere);
 * 2. every other patient with every term somewhere in their names, email or phone digits.
 * The ranges run on the stored normalised names and their indexes (patient_name_idx, patient_first_name_idx).
 * A rank states only what its range does not already imply: the planner takes such conditions as independent,
 * and "the first name starts with ana" and "ana appears somewhere" are anything but.
 */
function searchRanks(search: { terms: string[] }): SearchAlternative[][] {
  const [firstTerm = "", ...otherTerms] = search.terms;
  const first = escapeLike(firstTerm);
  const lastPrefix = sqlOf("p.search_last_name like search_normalize(?::text) || '%'", [first]);
  const firstPrefix = sqlOf("p.search_first_name like search_normalize(?::text) || '%'", [first]);
  const not = (condition: Condition) => sqlOf(`not (${condition.sql})`, condition.params);
  const present = (condition: Condition | null) => (condition ? [condition] : []);

  // Every way the terms split into a first and a last name, each way round.
  const names: [string, string][] = [];
  for (let split = 1; split < search.terms.length; split++) {
    const before = search.terms.slice(0, split).join(" ");
    const rest = search.terms.slice(split).join(" ");
    names.push([rest, before], [before, rest]);
  }
  const exact = names.length
    ? sqlOf(
        `(p.search_last_name, p.search_first_name) in (${names.map(() => "(search_normalize(?::text), search_normalize(?::text))").join(", ")})`,
        names.flat(),
      )
    : null;
  const others = present(containsTerms(otherTerms));
  const notExact = exact ? [not(exact)] : [];
  return [
    exact ? [{ conditions: [exact] }] : [],
    [
      { conditions: [lastPrefix, ...others, ...notExact], lastNamePrefix: firstTerm },
      { conditions: [firstPrefix, not(lastPrefix), ...others, ...notExact] },
    ],
    [{ conditions: [...present(containsTerms(search.terms)), not(lastPrefix), not(firstPrefix)] }],
  ];
}

/** One way into a rank: its conditions, and for the last-name-prefix range, the term it starts with. */
interface SearchAlternative {
  conditions: Condition[];
  lastNamePrefix?: string;
}

/**
 * The keyset of the last-name-prefix range in name order. The range and the cursor's row comparison bound the
 * same index column, and the btree starts from the row comparison: from a cursor far before the range (on a
 * page of first-name matches, say) it would walk every name in between. So when the whole range lies beyond
 * the cursor the comparison is dropped, by a test of constants that the planner folds away (a search is
 * planned for its values).
 */
function prefixKeyset(keyset: Condition, cursorLastName: unknown, term: string, descending: boolean): Condition {
  const beyond = descending
    ? sqlOf(
        `(?::text >= search_normalize(?::text) collate "C" and ?::text not like search_normalize(?::text) || '%')`,
        [cursorLastName, term, cursorLastName, escapeLike(term)],
      )
    : sqlOf(`search_normalize(?::text) collate "C" > ?::text`, [term, cursorLastName]);
  return sqlOf(`${beyond.sql} or ${keyset.sql}`, [...beyond.params, ...keyset.params]);
}

/** One more row than the page, to know whether another page follows. In the SQL text rather than bound:
 *  a plan kept for "limit $n" would be made without knowing the page is small. */
function pageLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ChairsideError("BAD_REQUEST", "invalid page size");
  return limit + 1;
}

const invalidCursor = () =>
  new ChairsideError("BAD_REQUEST", "invalid cursor: malformed; start again from the first page");

/** "After the cursor's row" as one row comparison, which the index serves as a range. */
function keysetCondition(order: SortColumn[], values: CursorValues, descending: boolean): Condition {
  return sqlOf(
    `(${order.map((c) => c.sql).join(", ")}) ${descending ? "<" : ">"} (${order.map((c) => c.param).join(", ")})`,
    values,
  );
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
