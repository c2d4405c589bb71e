// The mixed load of issue 6: 100 clients at once for a bounded time, each looping over what staff do all day
// (list pages and their next pages, searches, opening a record, saving an edit), against the production server,
// while its RSS is sampled. A small custom loop on node:http (keep-alive, one socket per client) rather than
// autocannon, because an edit must read the record's version first and a next page needs the previous cursor.
// A CONFLICT (409) on an edit race is a business outcome, counted apart; 5xx, connection errors and timeouts
// are errors; any other non-2xx is "unexpected" (a bench or server bug) and fails the run too.
import { Agent, request } from "node:http";
import { promisify } from "node:util";
import { brotliDecompress, gunzip } from "node:zlib";
import { WRITTEN_HEADER } from "@chairside/server/limits";
import type pg from "pg";
import { withClient } from "./datasets.ts";
import { BROWSER_HEADERS, listPath } from "./http-load.ts";
import type { ServerProcess } from "./processes.ts";
import type { ListRequest } from "./shapes.ts";
import { percentile } from "./stats.ts";

export const MIXED_CONNECTIONS = 100;
/** The share of each kind of operation (list pages count first and next pages alike). */
export const MIX = { list: 0.5, search: 0.2, detail: 0.2, edit: 0.1 } as const;
export type MixKind = keyof typeof MIX;
/** Seconds one request may take before it counts as a timeout (an error). */
const REQUEST_TIMEOUT_S = 10;
/** Patients the edits go to: few enough that two clients sometimes race on one record (a 409). */
const EDIT_POOL = 50;
const SAMPLE_EVERY_MS = 1_000;

export interface MixedKindFigures {
  /** HTTP requests made (an edit is two: the read that fetches the version, then the save). */
  requests: number;
  ok: number;
  latencyP50: number;
  latencyP99: number;
}

export interface RssSample {
  /** Seconds since the load started (negative: before it). */
  atS: number;
  rss: number;
}

export interface MixedLoadResult {
  /** When the load began (the server's audit entries from then on are the load's). */
  startedAt: string;
  connections: number;
  durationS: number;
  requests: number;
  ok: number;
  rps: number;
  latencyP50: number;
  latencyP99: number;
  /** Edits refused as stale (CONFLICT, 409): another client saved the same record first. Not errors. */
  conflicts: number;
  /** 5xx responses. */
  serverErrors: number;
  /** Connection errors (refused, reset). */
  connectionErrors: number;
  timeouts: number;
  /** Non-2xx responses other than 409 and 5xx (400, 401, 404...): nothing in the mix should cause them. */
  unexpected: number;
  /**
   * Audit entries the server wrote for the load's requests (read after it stopped, so its last batch is in):
   * every 2xx answer notes one. Filled in by the caller; null until then.
   */
  auditEntries: number | null;
  /** A few of the unexpected answers and errors, to say what went wrong. */
  errorSamples: string[];
  /** Bytes of list pages as sent (compressed), on average. */
  listPageBytes: number;
  byKind: Record<MixKind, MixedKindFigures>;
  edits: { saved: number; conflicts: number };
  memory: {
    before: number;
    /** The RSS a few seconds into the load, what the rest is compared with. */
    early: number;
    after: number;
    peak: number;
    samples: RssSample[];
  };
}

/** A deterministic PRNG (mulberry32), so two runs send the same mix. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** The list views staff switch between: every tab, every sort. */
const LIST_VIEWS: ListRequest[] = [
  {},
  { status: "active" },
  { status: "inactive" },
  { status: "new" },
  ...(["name", "lastVisit", "createdAt"] as const).flatMap((by) =>
    (["asc", "desc"] as const).map((direction): ListRequest => ({ sort: { by, direction } })),
  ),
  { status: "active", sort: { by: "lastVisit", direction: "desc" } },
];

interface Fixtures {
  patientIds: number[];
  searchTerms: string[];
  editable: { id: number; notes: string; version: number; updatedAt: Date }[];
}

/** Real ids and names from the data set, and the records the edits will change (to restore them after). */
async function loadFixtures(databaseUrl: string, seed: number): Promise<Fixtures> {
  return withClient(databaseUrl, async (client: pg.Client) => {
    const ids = await client.query<{ id: number }>("select id from patient where archived_at is null order by id");
    const patientIds = ids.rows.map((row) => row.id);
    const names = await client.query<{ last_name: string; first_name: string }>(
      `select last_name, first_name from patient where archived_at is null order by id limit 5000`,
    );
    const random = prng(seed + 17);
    const terms = new Set<string>();
    for (let i = 0; i < 400 && terms.size < 120; i++) {
      const row = pick(random, names.rows);
      const form = i % 4;
      // Whole surnames, first names, the first letters as typed so far, and "first last".
      if (form === 0) terms.add(row.last_name.toLowerCase());
      else if (form === 1) terms.add(row.first_name);
      else if (form === 2) terms.add(row.last_name.slice(0, 3).toLowerCase());
      else terms.add(`${row.first_name} ${row.last_name}`);
    }
    const editIds = new Set<number>();
    while (editIds.size < Math.min(EDIT_POOL, patientIds.length)) editIds.add(pick(random, patientIds));
    const editable = await client.query<{ id: number; notes: string; version: number; updated_at: Date }>(
      "select id, notes, version, updated_at from patient where id = any($1::int[])",
      [[...editIds]],
    );
    return {
      patientIds,
      searchTerms: [...terms],
      editable: editable.rows.map((row) => ({
        id: row.id,
        notes: row.notes,
        version: row.version,
        updatedAt: row.updated_at,
      })),
    };
  });
}

/** Puts the edited records back as they were, so the data set stays the one the marker describes. */
async function restoreEdited(databaseUrl: string, editable: Fixtures["editable"]): Promise<void> {
  await withClient(databaseUrl, async (client: pg.Client) => {
    for (const row of editable) {
      await client.query("update patient set notes = $2, version = $3, updated_at = $4 where id = $1", [
        row.id,
        row.notes,
        row.version,
        row.updatedAt,
      ]);
    }
  });
}

interface Answer {
  status: number;
  body: Buffer;
  encoding: string | undefined;
}

class RequestFailure extends Error {
  readonly kind: "timeout" | "connection";
  constructor(kind: "timeout" | "connection", message: string) {
    super(message);
    this.kind = kind;
  }
}

const decompressBrotli = promisify(brotliDecompress);
const decompressGzip = promisify(gunzip);

async function json<T>(answer: Answer): Promise<T> {
  const raw =
    answer.encoding === "br"
      ? await decompressBrotli(answer.body)
      : answer.encoding === "gzip"
        ? await decompressGzip(answer.body)
        : answer.body;
  return JSON.parse(raw.toString("utf8")) as T;
}

export interface MixedLoadRun {
  /** The server whose memory is sampled; the load goes to it, or spread over `servers`. */
  server: ServerProcess;
  /** Instances behind the same databases: client i calls servers[i % n], as a sticky load balancer would. */
  servers?: ServerProcess[];
  databaseUrl: string;
  token: string;
  durationS: number;
  seed: number;
  connections?: number;
}

export async function runMixedLoad(run: MixedLoadRun): Promise<MixedLoadResult> {
  const connections = run.connections ?? MIXED_CONNECTIONS;
  const fixtures = await loadFixtures(run.databaseUrl, run.seed);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const headers = { ...BROWSER_HEADERS, authorization: `Bearer ${run.token}` };

  const latencies: number[] = [];
  const byKind = Object.fromEntries(
    Object.keys(MIX).map((kind) => [kind, { requests: 0, ok: 0, latencies: [] as number[] }]),
  ) as Record<MixKind, { requests: number; ok: number; latencies: number[] }>;
  const counts = { conflicts: 0, serverErrors: 0, connectionErrors: 0, timeouts: 0, unexpected: 0, saved: 0 };
  const errorSamples: string[] = [];
  const noteError = (text: string) => {
    if (errorSamples.length < 10) errorSamples.push(text);
  };
  /** Recent next-page cursors per list view, shared by every client as tabs are shared by staff. */
  const cursors = new Map<string, string[]>();
  const listBytes = { total: 0, pages: 0 };

  /**
   * One client: the instance it calls, and the position of its last write, which it sends back as a browser does
   * its cookie (read-your-writes across instances).
   */
  interface Client {
    base: string;
    written: string | null;
  }

  function send(client: Client, kind: MixKind, path: string, method = "GET", body?: string): Promise<Answer | null> {
    const started = performance.now();
    byKind[kind].requests++;
    return new Promise((resolve) => {
      let settled = false;
      const withWrite: Record<string, string> = client.written
        ? { ...headers, [WRITTEN_HEADER]: client.written }
        : headers;
      const requestHeaders: Record<string, string> = body
        ? { ...withWrite, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
        : withWrite;
      const req = request(`${client.base}${path}`, { method, headers: requestHeaders, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          if (settled) return;
          settled = true;
          const elapsed = performance.now() - started;
          const status = res.statusCode ?? 0;
          latencies.push(elapsed);
          byKind[kind].latencies.push(elapsed);
          const answer = { status, body: Buffer.concat(chunks), encoding: res.headers["content-encoding"] as string };
          const written = res.headers[WRITTEN_HEADER];
          if (typeof written === "string") client.written = written;
          if (kind === "list" && status === 200) {
            listBytes.total += answer.body.length;
            listBytes.pages++;
          }
          if (status >= 200 && status < 300) byKind[kind].ok++;
          else if (status === 409 && kind === "edit") counts.conflicts++;
          else if (status >= 500) {
            counts.serverErrors++;
            noteError(`${status} ${method} ${path.slice(0, 60)}`);
          } else {
            counts.unexpected++;
            noteError(`${status} ${method} ${path.slice(0, 60)}`);
          }
          resolve(answer);
        });
        res.on("error", (error) => fail(new RequestFailure("connection", error.message)));
      });
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        if (error instanceof RequestFailure && error.kind === "timeout") counts.timeouts++;
        else counts.connectionErrors++;
        noteError(`${error.message} (${method} ${path.slice(0, 60)})`);
        resolve(null);
      };
      req.on("error", fail);
      req.setTimeout(REQUEST_TIMEOUT_S * 1000, () =>
        req.destroy(new RequestFailure("timeout", `no answer within ${REQUEST_TIMEOUT_S} s`)),
      );
      req.end(body);
    });
  }

  async function listPage(random: () => number, client: Client): Promise<void> {
    const view = pick(random, LIST_VIEWS);
    const key = JSON.stringify(view);
    const known = cursors.get(key) ?? [];
    const cursor = known.length > 0 && random() < 0.5 ? pick(random, known) : null;
    const answer = await send(client, "list", listPath(cursor ? { ...view, cursor } : view));
    if (answer?.status !== 200) return;
    const page = await json<{ result: { data: { json: { nextCursor: string | null } } } }>(answer);
    const next = page.result.data.json.nextCursor;
    if (next) {
      known.push(next);
      if (known.length > 20) known.shift();
      cursors.set(key, known);
    }
  }

  async function search(random: () => number, client: Client): Promise<void> {
    const term = pick(random, fixtures.searchTerms);
    const tab = random() < 0.25 ? { status: pick(random, ["active", "inactive", "new"] as const) } : {};
    await send(client, "search", listPath({ search: term, ...tab }));
  }

  const byIdPath = (id: number) => `/trpc/patients.byId?input=${encodeURIComponent(JSON.stringify({ json: { id } }))}`;

  async function detail(random: () => number, client: Client): Promise<void> {
    await send(client, "detail", byIdPath(pick(random, fixtures.patientIds)));
  }

  let editCounter = 0;
  async function edit(random: () => number, client: Client): Promise<void> {
    const { id } = pick(random, fixtures.editable);
    const read = await send(client, "edit", byIdPath(id));
    if (read?.status !== 200) return;
    const record = await json<{ result: { data: { json: { version: number } } } }>(read);
    const version = record.result.data.json.version;
    const notes = `bench mixed-load edit ${++editCounter}`;
    const saved = await send(
      client,
      "edit",
      "/trpc/patients.update",
      "POST",
      JSON.stringify({ json: { id, version, notes } }),
    );
    if (saved?.status === 200) counts.saved++;
  }

  const operations: [number, (random: () => number, client: Client) => Promise<void>][] = [
    [MIX.list, listPage],
    [MIX.search, search],
    [MIX.detail, detail],
    [MIX.edit, edit],
  ];
  const chooseOperation = (random: () => number) => {
    let roll = random();
    for (const [share, operation] of operations) {
      roll -= share;
      if (roll < 0) return operation;
    }
    return listPage;
  };

  // RSS before, then every second during the load, then once the last answers are in.
  const samples: RssSample[] = [];
  const before = run.server.memory().rss;
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const atS = () => (performance.now() - started) / 1000;
  samples.push({ atS: 0, rss: before });
  const sampler = setInterval(() => samples.push({ atS: atS(), rss: run.server.memory().rss }), SAMPLE_EVERY_MS);
  const deadline = started + run.durationS * 1000;

  const servers = run.servers ?? [run.server];
  async function client(index: number): Promise<void> {
    const random = prng(run.seed * 1_000 + index);
    const state: Client = { base: (servers[index % servers.length] as ServerProcess).url, written: null };
    while (performance.now() < deadline) {
      try {
        await chooseOperation(random)(random, state);
      } catch (error) {
        // A body that does not parse is the server's fault too: count it, keep the client going.
        counts.unexpected++;
        noteError(error instanceof Error ? error.message : String(error));
      }
    }
  }

  let elapsedS: number;
  try {
    await Promise.all(Array.from({ length: connections }, (_, index) => client(index)));
    elapsedS = atS();
  } finally {
    clearInterval(sampler);
    agent.destroy();
    await restoreEdited(run.databaseUrl, fixtures.editable);
  }
  // Let the audit trail's last batch and the garbage collector settle before the "after" figure.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const { rss: after, peak } = run.server.memory();
  samples.push({ atS: atS(), rss: after });

  const duringLoad = samples.filter((sample) => sample.atS > 0 && sample.atS <= elapsedS);
  const earlyAt = Math.min(5, run.durationS / 4);
  const early = (duringLoad.find((sample) => sample.atS >= earlyAt) ?? duringLoad[0] ?? { rss: before }).rss;
  const ok = Object.values(byKind).reduce((sum, kind) => sum + kind.ok, 0);
  return {
    startedAt,
    connections,
    durationS: elapsedS,
    requests: latencies.length + counts.timeouts + counts.connectionErrors,
    ok,
    rps: latencies.length / elapsedS,
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
    conflicts: counts.conflicts,
    serverErrors: counts.serverErrors,
    connectionErrors: counts.connectionErrors,
    timeouts: counts.timeouts,
    unexpected: counts.unexpected,
    auditEntries: null,
    errorSamples,
    listPageBytes: listBytes.pages ? listBytes.total / listBytes.pages : 0,
    byKind: Object.fromEntries(
      Object.entries(byKind).map(([kind, figures]) => [
        kind,
        {
          requests: figures.requests,
          ok: figures.ok,
          latencyP50: percentile(figures.latencies, 50),
          latencyP99: percentile(figures.latencies, 99),
        },
      ]),
    ) as Record<MixKind, MixedKindFigures>,
    edits: { saved: counts.saved, conflicts: counts.conflicts },
    memory: { before, early, after, peak, samples },
  };
}

/** Errors of any kind: 5xx, connection errors, timeouts and unexpected answers (409 on an edit is not one). */
export const mixedErrors = (result: MixedLoadResult) =>
  result.serverErrors + result.connectionErrors + result.timeouts + result.unexpected;

/**
 * The memory target under load: no climb. The RSS rises while V8's heap and the connections' buffers grow to
 * their working size, sooner or later depending on how fast requests run (at 10,000 patients within ~15 s,
 * at 1,000,000 in one step after ~35 s), and then stays flat. A leak keeps rising: the highest RSS of the
 * last third of the load's samples is at most this much above the highest of the middle third. Peaks rather
 * than means, so that a single step up in the middle third is not read as a climb.
 */
export const MAX_LATE_CLIMB = 1.1;

/** The highest RSS of the last third of the load's samples over the highest of the middle third. */
export function lateClimb(result: MixedLoadResult): number {
  const during = result.memory.samples.filter((sample) => sample.atS > 0 && sample.atS <= result.durationS);
  const third = Math.floor(during.length / 3);
  if (third < 1) return Number.NaN;
  const peak = (samples: RssSample[]) => Math.max(...samples.map((sample) => sample.rss));
  return peak(during.slice(-third)) / peak(during.slice(third, 2 * third));
}

/** The audit entries written since the load began: run once the server has stopped (its writer flushed). */
export function countAuditEntries(databaseUrl: string, since: string): Promise<number> {
  return withClient(databaseUrl, async (client: pg.Client) => {
    const { rows } = await client.query<{ count: string }>(
      "select count(*) as count from audit_entry where at >= $1 and action in ('patient.list', 'patient.view', 'patient.update')",
      [since],
    );
    return Number(rows[0]?.count ?? 0);
  });
}
