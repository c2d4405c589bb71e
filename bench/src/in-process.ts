// Chairside's API in this process, called through createCaller as the tests do: counts the SQL statements
// each call sends (MikroORM's onQuery), and captures the exact text pg puts on the wire for the ceiling and
// EXPLAIN.
import {
  type ChairsideOrm,
  createOrm,
  type PatientListPage,
  type PatientTabCounts,
  SERVER_DRIVER_OPTIONS,
} from "@chairside/db";
import pg from "pg";
import {
  appRouter,
  closeServices,
  createCallerFactory,
  createContextInner,
  createServices,
  OWNER,
  type Services,
} from "./product.ts";
import type { CountsRequest, ListRequest } from "./shapes.ts";

const callerFactory = createCallerFactory(appRouter);
type Caller = ReturnType<typeof callerFactory>;

export interface InProcessApi {
  orm: ChairsideOrm;
  services: Services;
  cursorSecret: string;
  list(input: ListRequest): Promise<PatientListPage>;
  counts(input: CountsRequest): Promise<PatientTabCounts>;
  /** The statements MikroORM sent during `work`. */
  countStatements(work: () => Promise<unknown>): Promise<string[]>;
  /** The SQL text (and parameters) pg sent to PostgreSQL during `work`. */
  captureWire(work: () => Promise<unknown>): Promise<WireQuery[]>;
  close(): Promise<void>;
}

export interface WireQuery {
  text: string;
  values: unknown[];
  /** Sent as a named prepared statement (its plan may be kept), or unnamed (planned for its values each time). */
  prepared: boolean;
}

/** The only place the bench patches a library: pg's Client#query, while a capture runs. */
function patchClientQuery(onQuery: (query: WireQuery) => void): () => void {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === "string") {
      onQuery({ text: first, values: Array.isArray(second) ? second : [], prepared: false });
    } else if (first && typeof first === "object" && "text" in first && typeof first.text === "string") {
      const values = "values" in first && Array.isArray(first.values) ? first.values : [];
      onQuery({ text: first.text, values, prepared: "name" in first && typeof first.name === "string" });
    }
    return original.apply(this, args);
  };
  return () => {
    prototype.query = original;
  };
}

export async function openInProcessApi(url: string, cursorSecret: string): Promise<InProcessApi> {
  let sink: string[] | null = null;
  const orm = await createOrm(url, {
    driverOptions: SERVER_DRIVER_OPTIONS,
    onQuery: (sql: string) => {
      sink?.push(sql);
      return sql;
    },
  });
  const services = await createServices(orm, { secret: cursorSecret, production: true });
  const signedIn = await services.sessions.signIn(OWNER.email, OWNER.password);
  if (!signedIn) throw new Error(`cannot sign in as ${OWNER.email}: is the data set seeded?`);
  const caller: Caller = callerFactory(() =>
    createContextInner({ services, token: signedIn.token, clientAddress: "127.0.0.1" }),
  );

  return {
    orm,
    services,
    cursorSecret,
    list: (input) => caller.patients.list(input),
    counts: (input) => caller.patients.counts(input),
    async countStatements(work) {
      const statements: string[] = [];
      sink = statements;
      try {
        await work();
      } finally {
        sink = null;
      }
      return statements;
    },
    async captureWire(work) {
      const queries: WireQuery[] = [];
      const restore = patchClientQuery((query) => queries.push(query));
      try {
        await work();
      } finally {
        restore();
      }
      return queries;
    },
    async close() {
      await closeServices(services);
      // Whatever else the services opened on the way (a background writer with a pool of its own) is
      // closed too, so that it does not linger on the data set while the next measurements run.
      const writer = (services as { auditWriter?: { close?: () => Promise<unknown> } }).auditWriter;
      await writer?.close?.();
      await orm.close();
    },
  };
}

/**
 * A cursor pointing half-way through the default list (name order, archived excluded), found by walking
 * it with the largest pages: the same cursors a person scrolling there would have been handed.
 */
export async function halfwayCursor(api: InProcessApi, visiblePatients: number): Promise<string> {
  const target = Math.floor(visiblePatients / 2);
  let cursor: string | null = null;
  let seen = 0;
  while (seen + 100 <= target) {
    const page: PatientListPage = await api.list({ limit: 100, cursor });
    seen += page.items.length;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const rest = target - seen;
  if (rest > 0) {
    const page: PatientListPage = await api.list({ limit: rest, cursor });
    cursor = page.nextCursor;
  }
  if (!cursor) throw new Error("the list is too short to have a half-way page");
  return cursor;
}
