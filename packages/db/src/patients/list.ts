// The patient list: one SQL statement per page, whatever the filters and however deep, and no writes.
// Keyset pagination on a unique order (the sort key, then id), so page 10,000 costs what page 1 costs.
import type { EntityManager } from "@mikro-orm/postgresql";
import {
  type CompiledQuery,
  type Expression,
  expressionBuilder,
  type InferResult,
  type QueryCreator,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from "kysely";
import { z } from "zod";
import { type AlertKind, inAlertOrder } from "../alerts/input.ts";
import { activeSince, ageOn, clinicDay, type PatientStatus, statusSince } from "../clinic-rules.ts";
import { ChairsideError } from "../errors.ts";
import { invalidCursor, type Page, Paging, type Position, positionId, positionInstant } from "../paging.ts";
import { type ChairsideTables, type Planning, rowsOf, sqlFor, toKeep } from "../postgres/sql.ts";
import type { RequestScope } from "../scope.ts";
import {
  allOf,
  archivedCondition,
  type Condition,
  clinicCondition,
  lastVisitKey,
  lastVisitKeyOf,
  type PatientFrom,
  p,
  statusCondition,
} from "./filters.ts";
import type { PatientListInput } from "./list-input.ts";
import { type ListOrder, type ListSortKeys, sentOrder } from "./list-order.ts";
import {
  escapeLike,
  MAX_SEARCH_RANKS,
  type SearchAlternative,
  searchKey,
  searchRanks,
  searchTermCount,
} from "./search.ts";

/** What a row of the list shows, nothing more. */
export interface PatientListFields {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  /** The date of birth (YYYY-MM-DD), which tells namesakes apart. */
  birthday: string | null;
  age: number | null;
  status: PatientStatus;
  /** The patient's clinic; clients know the few clinics' names from clinics.list (not repeated per row). */
  clinicId: number;
  archived: boolean;
  /** When the record was created, as a date in the clinic's time zone. */
  addedOn: string;
  /** The last completed visit: its date in the clinic's time zone, the service and the dentist. */
  lastVisit: { on: string; service: string; dentist: string } | null;
  /** The kinds of the patient's current medical alerts, most urgent first, each once (the row's badge); absent
   *  when there are none, as for most patients (pages stay small). */
  alertKinds?: AlertKind[];
}

/** One row of a page: what it shows, and its values in the page's order (for placing changed rows among them; see
 *  sentOrder for when they are left out). */
export interface PatientListItem extends PatientListFields {
  order?: ListOrder;
}

/** A patient's row as the list shows it now, with its values for every order: what writes and re-reads return. */
export interface PatientListRow extends PatientListFields {
  sortKeys: ListSortKeys;
}

export type PatientListPage = Page<PatientListItem>;

/** An instant as epoch milliseconds, exactly (numeric, then float8): the cursor and the status read it. */
const epochMs = (column: "p.last_visit_at" | "p.created_at") =>
  sql<number | null>`(extract(epoch from ${sql.ref(column)}) * 1000)::float8`;

/**
 * What the chosen rows carry out of the inner query: the list's fields and the order's keys. Read as plain rows,
 * not entities: a page is read-only, and hydrating a page of managed entities cost more than the query itself
 * (BENCHMARKS.md). The dates shown come already in the clinic's time zone, from the outer query.
 */
const CHOSEN_COLUMNS = [
  p.ref("p.id").as("id"),
  p.ref("p.first_name").as("first_name"),
  p.ref("p.last_name").as("last_name"),
  p.ref("p.search_first_name").as("search_first_name"),
  p.ref("p.search_last_name").as("search_last_name"),
  p.ref("p.email").as("email"),
  p.ref("p.phone").as("phone"),
  p.cast<string | null>("p.birthday", "text").as("birthday"),
  p("p.archived_at", "is not", null).as("archived"),
  p.ref("p.clinic_id").as("clinic_id"),
  p.ref("p.last_visit_id").as("last_visit_id"),
  p.ref("p.created_at").as("created_at"),
  lastVisitKey.as("last_visit_key"),
  epochMs("p.last_visit_at").as("last_visit_ms"),
  epochMs("p.created_at").as("created_ms"),
] as const;
/** The columns of each search rank's rows (null: not a search). Built once, as the builder's work is per use. */
const RANKED_COLUMNS = new Map(
  [null, ...Array.from({ length: MAX_SEARCH_RANKS }, (_, rank) => rank)].map((rank) => [
    rank,
    [
      ...CHOSEN_COLUMNS,
      rank === null ? p.cast<number | null>(p.lit(null), "integer").as("search_rank") : sql.lit(rank).as("search_rank"),
    ] as const,
  ]),
);
export function chosenColumns(rank: number | null) {
  const columns = RANKED_COLUMNS.get(rank);
  if (!columns) throw new Error(`no search rank ${rank}`);
  return columns;
}

type Chosen = SelectQueryBuilder<ChairsideTables & PatientFrom, "p", ChosenRow>;
export type ChosenRow = {
  id: number;
  first_name: string;
  last_name: string;
  search_first_name: string | null;
  search_last_name: string | null;
  email: string | null;
  phone: string | null;
  birthday: string | null;
  archived: SqlBool;
  clinic_id: number;
  last_visit_id: number | null;
  created_at: Date;
  last_visit_key: Date;
  last_visit_ms: number | null;
  created_ms: number | null;
  search_rank: number | null;
};

/** One key of the list's order: how it orders the chosen rows, how they are ordered again outside, and how a
 *  cursor's value re-enters the query (with the same type and NULL handling). */
interface SortKey {
  key: Expression<unknown>;
  column: keyof ChosenRow & string;
  fromCursor(value: unknown): Expression<unknown>;
  value(row: ChosenRow): string | number | null;
}

const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const asText = (value: unknown) => p.cast<string>(p.val(value), "text");

const SORT_KEYS: Record<PatientListInput["sort"]["by"], SortKey[]> = {
  name: [
    {
      key: p.ref("p.search_last_name"),
      column: "search_last_name",
      fromCursor: asText,
      value: (row) => row.search_last_name,
    },
    {
      key: p.ref("p.search_first_name"),
      column: "search_first_name",
      fromCursor: asText,
      value: (row) => row.search_first_name,
    },
  ],
  lastVisit: [
    {
      key: lastVisitKey,
      column: "last_visit_key",
      fromCursor: lastVisitKeyOf,
      value: (row) => isoOf(row.last_visit_ms),
    },
  ],
  createdAt: [
    {
      key: p.ref("p.created_at"),
      column: "created_at",
      fromCursor: (value) => p.cast(p.val(value), "timestamptz"),
      value: (row) => isoOf(row.created_ms),
    },
  ],
};
const ID_KEY: SortKey = {
  key: p.ref("p.id"),
  column: "id",
  fromCursor: (value) => p.cast(p.val(value), "integer"),
  value: (row) => row.id,
};

/** What a cursor holds for each sort (after the search rank, for a search). */
const POSITIONS = {
  name: [z.string(), z.string(), positionId],
  lastVisit: [positionInstant.nullable(), positionId],
  createdAt: [positionInstant, positionId],
} as const;
const RANK = z.number().int().min(0);

/** A page's query, compiled, and what reads its rows back. */
interface BuiltList {
  query: CompiledQuery<ListRow>;
  paging: Paging<Position>;
  order: SortKey[];
  search: boolean;
  planning: Planning;
}

/**
 * First pages by everything that shapes their query: the same view asked again (a list opened, a tab, a search
 * typed again, a refetch) reuses its compiled query instead of building it anew, which costs more than the
 * rest of the call (BENCHMARKS.md, "Building queries"). Pages after a cursor are all different and not kept.
 */
const firstPages = new Map<string, BuiltList>();
const MAX_FIRST_PAGES = 500;

function firstPageKey(request: RequestScope, input: PatientListInput): string {
  const cutoffs =
    input.status === "all" || input.status === "new"
      ? null
      : [...request.clinicTimeZones].map(([id, timeZone]) => [id, activeSince(timeZone, request.now).getTime()]);
  const { search, status, archived, clinicId, sort, limit } = input;
  const shape = [search ?? null, status, archived, clinicId ?? null, sort, limit, request.clinics.clinicIds, cutoffs];
  return `${JSON.stringify(shape)}\0${request.cursorSecret}`;
}

export async function listPatients(
  request: RequestScope,
  em: EntityManager,
  input: PatientListInput,
): Promise<PatientListPage> {
  let built: BuiltList;
  if (input.cursor) built = buildList(request, em, input);
  else {
    const key = firstPageKey(request, input);
    const known = firstPages.get(key);
    if (known) built = known;
    else {
      built = buildList(request, em, input);
      if (firstPages.size >= MAX_FIRST_PAGES) firstPages.delete(firstPages.keys().next().value as string);
      firstPages.set(key, { ...built, query: toKeep(built.query) });
    }
  }
  const { query, paging, order, search, planning } = built;
  const rows = await rowsOf(em, { compile: () => query }, planning);
  return paging.page(
    rows,
    (row) => {
      const values = order.map((key) => key.value(row as unknown as ChosenRow));
      return search ? [row.search_rank, ...values] : values;
    },
    (row) => toListItem(row, request.now, input.sort),
  );
}

function buildList(request: RequestScope, em: EntityManager, input: PatientListInput): BuiltList {
  const db = sqlFor(em);
  const descending = input.sort.direction === "desc";
  const direction = descending ? "desc" : "asc";
  // A search's first page in name order, the one typing asks for, is planned once for any term (see unordered);
  // a search's other pages and orders are planned for their values at every call.
  // One term only: the probe counts an alternative's own range, which other terms would narrow unseen.
  const kept = !input.cursor && input.sort.by === "name" && searchTermCount(input.search) <= 1;
  const ranks = searchRanks(input.search, kept ? "kept" : "planned");
  const search = ranks !== null;
  const sortPosition = POSITIONS[input.sort.by];
  const paging = new Paging<Position>({
    query: {
      search: input.search?.trim().toLowerCase() ?? "",
      status: input.status,
      archived: input.archived,
      clinicId: input.clinicId ?? null,
      sort: input.sort,
    },
    limit: input.limit,
    secret: request.cursorSecret,
    position: (search ? z.tuple([RANK, ...sortPosition]) : z.tuple(sortPosition)) as z.ZodType<Position>,
  });
  const limit = sql.lit(paging.rowsToRead);

  const clinics = request.clinics.within(input.clinicId);
  const filters = [
    archivedCondition(input.archived),
    clinicCondition(clinics),
    input.status === "all" ? null : statusCondition(input.status, clinics, request.clinicTimeZones, request.now),
  ];
  const order: SortKey[] = [...SORT_KEYS[input.sort.by], ID_KEY];

  // Where the previous page ended: its sort values (after its search rank, for a search).
  const position = paging.after(input.cursor);
  const after = position && {
    rank: search ? (position[0] as number) : 0,
    values: search ? position.slice(1) : position,
  };
  const keyset = after && keysetCondition(order, after.values, descending);

  /** The first rows, in the list's order, of the patients that meet every filter and `conditions`. */
  const chosen = (conditions: (Condition | null)[], searchRank: number | null): Chosen => {
    let query = db.selectFrom("patient as p").select(chosenColumns(searchRank)) as unknown as Chosen;
    const where = allOf([...filters, ...conditions]);
    if (where) query = query.where(where);
    for (const key of order) query = query.orderBy(key.key, direction);
    return query.limit(limit);
  };
  /** A branch of a UNION ALL: its own order and limit stay inside it. */
  const branch = (query: Chosen, alias: string) => db.selectFrom(query.as(alias)).selectAll();
  /**
   * The first rows, in the list's order, of an alternative whose index is not in that order (a first name, a date
   * of birth, a phone, the trigram index), in a plan kept for any term. Few matches are best read by their index
   * and sorted; many, by walking the list's order until the page is full. Which one a term needs is known only at
   * execution: a probe counts the alternative's own range (from its index alone where it can) up to a crossing
   * point, and each way runs only on its side of it. The walk keeps the range's condition where the list's index
   * can test it on its entries (a first name in patient_name_idx), so that it fetches only the matching rows.
   */
  const probes: { name: string; query: SelectQueryBuilder<ChairsideTables, never, { few: SqlBool }> }[] = [];
  const unordered = (conditions: Condition[], range: SearchAlternative["range"], searchRank: number, alias: string) => {
    const crossing = sql<number>`(select greatest(sqrt(${limit} * greatest(reltuples, 0)) / 4, ${limit})::integer from pg_class where oid = 'patient'::regclass)`;
    const [own = p.lit(true)] = conditions;
    const name = `${alias}_probe`;
    const probed = db
      .selectFrom("patient as p")
      .select(sql.lit(1).as("one"))
      .where(own)
      .limit(sql<number>`${crossing} + 1`);
    probes.push({
      name,
      query: db.selectFrom(probed.as("probed")).select(sql<SqlBool>`count(*) <= ${crossing}`.as("few")) as never,
    });
    const few = sql<SqlBool>`(select few from ${sql.table(name)})`;
    const matches = db
      .selectFrom("patient as p")
      .select(chosenColumns(searchRank))
      .where(allOf([...filters, ...conditions]) as Condition)
      .offset(sql.lit(0));
    let sorted = db.selectFrom(matches.as("matches")).selectAll().where(few);
    for (const key of order) sorted = sorted.orderBy(`matches.${key.column}` as never, direction);
    // The list's index holds the first name, so the walk tests it on the index's entries. Any other range is stated
    // through coalesce(), which no index can start from, so that the plan walks the list's order instead of reading
    // the range and sorting it.
    const walked = range === "firstName" ? conditions : [p.fn.coalesce(p.and(conditions), p.lit(false))];
    const walk = chosen([p.not(few), ...walked], searchRank);
    return db
      .selectFrom(
        branch(sorted.limit(limit) as unknown as Chosen, `${alias}_few`)
          .unionAll(branch(walk, `${alias}_many`))
          .as(alias),
      )
      .selectAll();
  };

  let inner: SelectQueryBuilder<ChairsideTables, never, ChosenRow>;
  if (!ranks) {
    inner = branch(chosen([keyset], null), "chosen") as never;
  } else {
    // A search ranks its matches (see searchRanks) and each rank is read as its own ordered range, best rank
    // first, so a page reads its rows rather than ranking every match: a common surname matches tens of
    // thousands of patients at scale. PostgreSQL runs the branches of a UNION ALL in turn and stops at the
    // limit, so a rank beyond a full page is never read.
    if (after && after.rank >= ranks.length) throw invalidCursor();
    const branches: SelectQueryBuilder<ChairsideTables, never, ChosenRow>[] = [];
    for (const [searchRank, alternatives] of ranks.entries()) {
      if (after && searchRank < after.rank) continue;
      const parts = alternatives.map((alternative, index) => {
        let conditions: (Condition | null)[] = alternative.conditions;
        if (after && keyset && searchRank === after.rank) {
          const rankKeyset =
            alternative.lastNamePrefix !== undefined && input.sort.by === "name"
              ? prefixKeyset(keyset, after.values[0], alternative.lastNamePrefix, descending)
              : keyset;
          conditions = [...conditions, rankKeyset];
        }
        const alias = `rank_${searchRank}_${index}`;
        const inOrder = alternative.range === "name" || alternative.range === "id";
        if (kept && !inOrder) return unordered(alternative.conditions, alternative.range, searchRank, alias);
        return branch(chosen(conditions, searchRank), alias);
      });
      const [only, ...more] = parts;
      if (!only) continue;
      if (more.length === 0) {
        branches.push(only as never);
        continue;
      }
      // Alternatives of one rank are merged in the list's order.
      const merged = db.selectFrom(more.reduce((union, part) => union.unionAll(part), only).as(`rank_${searchRank}`));
      let ordered = merged.selectAll();
      for (const key of order) ordered = ordered.orderBy(`rank_${searchRank}.${key.column}` as never, direction);
      branches.push(branch(ordered.limit(limit) as unknown as Chosen, `rank_${searchRank}_merged`) as never);
    }
    const [first, ...rest] = branches;
    if (!first) throw new Error("a search has at least one rank to read");
    const union = rest.reduce((all, part) => all.unionAll(part), first);
    inner = db.selectFrom(union.as("ranked")).selectAll().limit(limit) as never;
  }

  let withProbes: QueryCreator<ChairsideTables> = db;
  for (const probe of probes)
    withProbes = withProbes.with(
      (cte) => cte(probe.name as never).materialized(),
      () => probe.query as never,
    ) as never;
  let query = shownRows(withProbes, inner);
  if (search) query = query.orderBy("page.search_rank", "asc");
  for (const key of order) query = query.orderBy(`page.${key.column}` as never, direction);

  // A search planned for its values: its best plan depends on how many patients its terms match.
  const planning = search && !kept ? "per-call" : "reuse";
  return { query: query.compile() as CompiledQuery<ListRow>, paging, order, search, planning };
}

/**
 * The list's rows for the chosen patients (`inner`, one row per patient with chosenColumns): the page is chosen
 * from patient alone (index ranges), and only its rows are joined to their clinic and last visit, since joining
 * first would join every candidate before the limit.
 */
export function shownRows(
  db: QueryCreator<ChairsideTables>,
  inner: SelectQueryBuilder<ChairsideTables, never, ChosenRow>,
) {
  return db
    .selectFrom(inner.as("page"))
    .innerJoin("clinic as c", "c.id", "page.clinic_id")
    .leftJoin("appointment as lv", "lv.id", "page.last_visit_id")
    .leftJoin("service as s", "s.id", "lv.service_id")
    .leftJoin("staff_member as d", "d.id", "lv.dentist_id")
    .select(SHOWN_COLUMNS);
}

/** An instant's date in a time zone (YYYY-MM-DD): what `at time zone` gives, as PostgreSQL's timezone(). */
const localDate = (instant: Expression<unknown>, timeZone: Expression<unknown>) =>
  p.fn<string | null>("to_char", [p.fn("timezone", [timeZone, instant]), sql.lit("YYYY-MM-DD")]);

/** The tables a page's rows are shown from (see shownRows). */
type ShownFrom = {
  page: ChosenRow;
  c: ChairsideTables["clinic"];
  lv: ChairsideTables["appointment"];
  s: ChairsideTables["service"];
  d: ChairsideTables["staff_member"];
  medical_alert: ChairsideTables["medical_alert"];
};
const shown = expressionBuilder<ShownFrom, keyof ShownFrom>();
/** The kinds of a shown patient's current alerts, in the page's one statement: a subquery per row of the page,
 *  answered from medical_alert_patient_idx alone. */
const alertKinds = shown
  .selectFrom("medical_alert as ma")
  .select((ma) => ma.fn.agg<AlertKind[] | null>("array_agg", ["ma.kind"]).distinct().as("kinds"))
  .whereRef("ma.patient_id", "=", "page.id")
  .where("ma.removed_at", "is", null);
/** What the page shows of each row, built once (the builder's work is per use). */
const SHOWN_COLUMNS = [
  shown.ref("page.id").as("id"),
  shown.ref("page.first_name").as("first_name"),
  shown.ref("page.last_name").as("last_name"),
  shown.ref("page.search_first_name").as("search_first_name"),
  shown.ref("page.search_last_name").as("search_last_name"),
  shown.ref("page.email").as("email"),
  shown.ref("page.phone").as("phone"),
  shown.ref("page.birthday").as("birthday"),
  shown.ref("page.archived").as("archived"),
  shown.ref("page.last_visit_ms").as("last_visit_ms"),
  shown.ref("page.created_ms").as("created_ms"),
  shown.ref("page.search_rank").as("search_rank"),
  shown.ref("page.clinic_id").as("clinic_id"),
  shown.ref("c.time_zone").as("time_zone"),
  localDate(shown.ref("page.created_at"), shown.ref("c.time_zone")).as("added_on"),
  localDate(shown.ref("lv.starts_at"), shown.ref("c.time_zone")).as("visit_on"),
  shown.ref("s.name").as("service_name"),
  shown.ref("d.name").as("dentist_name"),
  alertKinds.as("alert_kinds"),
] as const;

/**
 * Patients' rows as the list shows them now, by the list's own query, in id order: what a write returns so that a
 * client can put it in its loaded pages (inside the write's transaction, it sees the write), and what a list
 * following other desks' changes re-reads. Any filter may hold them, so none applies but the caller's clinics;
 * a patient outside them is simply absent. One statement.
 */
export async function patientListRows(
  request: RequestScope,
  em: EntityManager,
  ids: readonly number[],
): Promise<PatientListRow[]> {
  if (ids.length === 0) return [];
  const db = sqlFor(em);
  const chosen = db
    .selectFrom("patient as p")
    .select(chosenColumns(null))
    .where(allOf([p("p.id", "in", [...ids]), clinicCondition(request.clinics.clinicIds)]) as Condition);
  const rows = await rowsOf(
    em,
    shownRows(db, db.selectFrom(chosen.as("chosen")).selectAll() as never).orderBy("page.id"),
  );
  return rows.map((row) => toListRow(row, request.now));
}

/** One patient's row (see patientListRows), or NOT_FOUND. */
export async function patientListRow(request: RequestScope, em: EntityManager, id: number): Promise<PatientListRow> {
  const [row] = await patientListRows(request, em, [id]);
  if (!row) throw new ChairsideError("NOT_FOUND", `there is no patient ${id}`);
  return row;
}

/**
 * The keyset of the last-name-prefix range in name order. The range and the cursor's row comparison bound the
 * same index column, and the btree starts from the row comparison: from a cursor far before the range (on a
 * page of first-name matches, say) it would walk every name in between. So when the whole range lies beyond
 * the cursor the comparison is dropped, by a test of constants that the planner folds away (a search is
 * planned for its values).
 */
function prefixKeyset(keyset: Condition, cursorLastName: unknown, term: string, descending: boolean): Condition {
  // Byte order, as the stored names are ordered (collate "C"), which the builder cannot say of an expression.
  const inByteOrder = (text: Expression<string>) => sql<string>`${text} collate "C"`;
  const beyond = descending
    ? p.and([
        p(asText(cursorLastName), ">=", inByteOrder(searchKey(term))),
        p(asText(cursorLastName), "not like", p(searchKey(escapeLike(term)), "||", sql.lit("%"))),
      ])
    : p(inByteOrder(searchKey(term)), ">", asText(cursorLastName));
  return p.or([beyond, keyset]);
}

/** "After the cursor's row" as one row comparison, which the index serves as a range. */
function keysetCondition(order: SortKey[], values: Position, descending: boolean): Condition {
  const keys = order.map((key) => key.key);
  const cursor = order.map((key, index) => key.fromCursor(values[index]));
  const [a, b, c] = keys as [Expression<unknown>, Expression<unknown>, Expression<unknown> | undefined];
  const [x, y, z3] = cursor as [Expression<unknown>, Expression<unknown>, Expression<unknown> | undefined];
  const operator = descending ? "<" : ">";
  return c && z3 ? p(p.tuple(a, b, c), operator, p.tuple(x, y, z3)) : p(p.tuple(a, b), operator, p.tuple(x, y));
}

/** A row of the page as the outer query reads it. */
export type ListRow = InferResult<ReturnType<typeof shownRows>>[number];

export function toListRow(row: ListRow, now: Date): PatientListRow {
  const listed = listFields(row, now) as PatientListRow;
  listed.sortKeys = sortKeysOf(row);
  return listed;
}

/** A row of a page sorted by `sort`: its fields and, where its names do not tell them, its order values (built
 *  without a row for every order first, which a page's fifty rows showed in the server's profile). */
function toListItem(row: ListRow, now: Date, sort: PatientListInput["sort"]): PatientListItem {
  const item: PatientListItem = listFields(row, now);
  const order = sentOrder(sort, item, sortKeysOf(row));
  if (order) item.order = order;
  return item;
}

/** What a row of the list shows (its fields, without its order values). */
export function listFields(row: ListRow, now: Date): PatientListFields {
  const day = clinicDay(row.time_zone, now);
  const fields: PatientListFields = {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    birthday: row.birthday,
    age: ageOn(row.birthday, day.today),
    status: statusSince(row.last_visit_ms, day.activeSince.getTime()),
    clinicId: row.clinic_id,
    archived: row.archived === true,
    addedOn: row.added_on ?? "",
    lastVisit:
      row.visit_on !== null
        ? { on: row.visit_on, service: row.service_name ?? "", dentist: row.dentist_name ?? "" }
        : null,
  };
  if (row.alert_kinds?.length) fields.alertKinds = inAlertOrder(row.alert_kinds);
  return fields;
}

const sortKeysOf = (row: ListRow): ListSortKeys => ({
  name: [row.search_last_name ?? "", row.search_first_name ?? ""],
  lastVisit: row.last_visit_ms,
  createdAt: row.created_ms ?? 0,
});
