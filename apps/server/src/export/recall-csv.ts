// GET /export/recall.csv?clinicId=N: a clinic's recall list as a CSV download. It calls `recall.export` page by
// page, in process, on the request's own tRPC context, so the credential (session cookie or bearer token), the
// policy table's row, the clinic scope and the audit trail are exactly the API's: each page is audited before its
// rows are written, and the rows stream out as they are read, in constant memory.
import { Readable } from "node:stream";
import { csvRecord } from "@chairside/csv";
import { clinicDay, PAGE_SIZE, RECALL_CSV_PATH, type RecallListItem, type RecallListPage } from "@chairside/db";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { logServerError } from "../log.ts";
import { appRouter } from "../routers/root.ts";
import { contextFactory, type Services } from "../trpc/context.ts";
import { createCallerFactory } from "../trpc/trpc.ts";

export const RECALL_CSV_COLUMNS = [
  "id",
  "last_name",
  "first_name",
  "email",
  "phone",
  "last_visit",
  "recall_due",
  "days_overdue",
  "interval_months",
] as const;

function recallCsvRecord(patient: RecallListItem): string {
  return csvRecord([
    patient.id,
    patient.lastName,
    patient.firstName,
    patient.email,
    patient.phone,
    patient.lastVisit?.on,
    patient.recall.dueOn,
    patient.recall.overdueDays,
    patient.recall.intervalMonths,
  ]);
}

const callerOf = createCallerFactory(appRouter);
const CLINIC_ID = /^[1-9]\d{0,9}$/;

export function recallCsvRoute(services: Services): (app: FastifyInstance) => Promise<void> {
  const contextOf = contextFactory(services);
  return async (app) => {
    app.get<{ Querystring: { clinicId?: unknown } }>(RECALL_CSV_PATH, async (request, reply) => {
      const { clinicId: raw } = request.query;
      if (typeof raw !== "string" || !CLINIC_ID.test(raw)) {
        return refuse(reply, 400, "clinicId: give the clinic's id, a positive whole number (?clinicId=1)");
      }
      const clinicId = Number(raw);
      const ctx = contextOf(request, reply);
      const caller = callerOf(ctx);
      const pageAfter = (cursor: string | null) => caller.recall.export({ clinicId, cursor, limit: PAGE_SIZE.max });

      let first: RecallListPage;
      try {
        first = await pageAfter(null);
      } catch (error) {
        return failed(request, reply, error);
      }
      const timeZone = ctx.clinics.timeZones.get(clinicId) ?? "UTC";
      const today = clinicDay(timeZone, ctx.now).today;

      async function* rows(): AsyncGenerator<string> {
        yield csvRecord(RECALL_CSV_COLUMNS);
        let page = first;
        for (;;) {
          // Each page was audited (buffered for the trail) by recall.export before any of it is written.
          yield page.items.map(recallCsvRecord).join("");
          if (!page.nextCursor) return;
          page = await pageAfter(page.nextCursor);
        }
      }
      const body = Readable.from(rows(), { objectMode: false });
      // A failure after the first page: the download ends short (the connection is cut), and the log says why.
      body.on("error", (error) => logServerError(request, 500, error, "the recall export failed after its first page"));
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="recall-clinic-${clinicId}-${today}.csv"`)
        .header("cache-control", "no-store")
        .send(body);
    });
  };
}

function refuse(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).header("cache-control", "no-store").send({ error: message });
}

/** The API's error as an HTTP answer: its status (401, 403, 404, 400...) and message; never internals. */
function failed(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof TRPCError)) {
    logServerError(request, 500, error, "the recall export failed");
    return refuse(reply, 500, `something went wrong on our side; it has been logged as request ${request.id}`);
  }
  const status = getHTTPStatusCodeFromError(error);
  if (status >= 500) {
    logServerError(request, status, error.cause ?? error, error.message, { code: error.code });
    if (error.code === "INTERNAL_SERVER_ERROR") {
      return refuse(reply, status, `something went wrong on our side; it has been logged as request ${request.id}`);
    }
  }
  const message =
    error.cause instanceof ZodError
      ? error.cause.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ")
      : error.message;
  return refuse(reply, status, message);
}
