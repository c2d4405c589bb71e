// The recall list: one clinic's patients due for recall (clinic-rules.ts), overdue first. One SQL statement per
// page, keyset-paginated on (recall date, id), read as one range of patient_recall_due_idx; the rows are the
// patient list's own (list.ts), with the recall date and how overdue it is.
import type { EntityManager } from "@mikro-orm/postgresql";
import { type CompiledQuery, sql } from "kysely";
import { z } from "zod";
import { type CalendarDate, clinicDay, daysOverdue } from "../clinic-rules.ts";
import { ChairsideError } from "../errors.ts";
import { type Page, Paging, positionId } from "../paging.ts";
import { rowsOf, sqlFor } from "../postgres/sql.ts";
import type { RequestScope } from "../scope.ts";
import { p } from "./filters.ts";
import { chosenColumns, type ListRow, listFields, type PatientListFields, shownRows } from "./list.ts";
import type { RecallListInput } from "./recall-input.ts";
import { NOT_UPCOMING_STATUSES } from "./record.ts";

/** A row of the recall list: the patient list's row, when their recall fell due and how long ago. */
export type RecallListItem = PatientListFields & {
  recall: { dueOn: CalendarDate; overdueDays: number; intervalMonths: number };
};

export type RecallListPage = Page<RecallListItem>;

const POSITION = z.tuple([z.iso.date(), positionId]);
type RecallPosition = z.infer<typeof POSITION>;
type RecallRow = ListRow & { recall_due_on: string; recall_interval_months: number };

export async function listDueForRecall(
  request: RequestScope,
  em: EntityManager,
  input: RecallListInput,
): Promise<RecallListPage> {
  const { clinicId } = input;
  request.clinics.assertWorksAt(clinicId);
  const timeZone = request.clinicTimeZones.get(clinicId);
  if (!timeZone) throw new ChairsideError("NOT_FOUND", `there is no clinic ${clinicId}`);
  const today = clinicDay(timeZone, request.now).today;
  const paging = new Paging<RecallPosition>({
    query: { list: "recall", clinicId },
    limit: input.limit,
    secret: request.cursorSecret,
    position: POSITION,
  });
  const after = paging.after(input.cursor);

  const db = sqlFor(em);
  // Due (dueForRecall in clinic-rules.ts): the recall date has come, the patient is current, and nothing is booked
  // (the record's "next appointment", read through appointment_patient_starts_idx for each candidate).
  let due = db
    .selectFrom("patient as p")
    .select([
      ...chosenColumns(null),
      p.cast<string>("p.recall_due_on", "text").as("recall_due_on"),
      p.ref("p.recall_interval_months").as("recall_interval_months"),
    ] as never)
    .where((eb) =>
      eb.and([
        eb("p.clinic_id", "=", clinicId),
        eb("p.archived_at", "is", null),
        eb("p.recall_due_on", "<=", eb.cast<string>(eb.val(today), "date")),
        eb.not(
          eb.exists(
            eb
              .selectFrom("appointment as a")
              .select(sql.lit(1).as("booked"))
              .whereRef("a.patient_id", "=", "p.id")
              .where("a.starts_at", ">", request.now)
              .where("a.status", "not in", [...NOT_UPCOMING_STATUSES]),
          ),
        ),
      ]),
    );
  if (after) {
    due = due.where((eb) =>
      eb(
        eb.refTuple("p.recall_due_on", "p.id"),
        ">",
        eb.tuple(eb.cast<string>(eb.val(after[0]), "date"), eb.cast<number>(eb.val(after[1]), "integer")),
      ),
    );
  }
  const chosen = due.orderBy("p.recall_due_on").orderBy("p.id").limit(sql.lit(paging.rowsToRead));
  const query = shownRows(db, chosen as never)
    .select([
      sql.ref<string>("page.recall_due_on").as("recall_due_on"),
      sql.ref<number>("page.recall_interval_months").as("recall_interval_months"),
    ])
    .orderBy(sql.ref("page.recall_due_on"))
    .orderBy(sql.ref("page.id"))
    .compile() as CompiledQuery<RecallRow>;

  // Two shapes (the first page, a page after a cursor), the same for every clinic and depth: planned once each.
  const rows = await rowsOf(em, { compile: () => query }, "reuse");
  return paging.page(
    rows,
    (row) => [row.recall_due_on, row.id],
    (row) => ({
      ...listFields(row, request.now),
      recall: {
        dueOn: row.recall_due_on,
        overdueDays: daysOverdue(row.recall_due_on, today),
        intervalMonths: row.recall_interval_months,
      },
    }),
  );
}
