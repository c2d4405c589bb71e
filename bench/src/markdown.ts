// The generated section of BENCHMARKS.md: the machine, the command, every figure with its ratio, the
// verdicts and the plans. Written between markers, so the hand-written text around it stays.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { MachineInfo } from "./machine.ts";
import { lateClimb, MAX_LATE_CLIMB, MIX, mixedErrors } from "./mixed-load.ts";
import type { DatasetResult } from "./run-dataset.ts";
import { SEARCH_TERM } from "./shapes.ts";
import {
  formatBytes,
  formatCpu,
  formatNaiveGap,
  formatNaiveRps,
  formatNumber,
  formatRatio,
  naiveGap,
} from "./stats.ts";
import {
  EXPLAIN_FROM_PATIENTS,
  MAX_MIXED_P99_GROWTH,
  MIN_BARE_SHARE,
  MIN_SEARCH_CEILING_SHARE,
  scopeOf,
  type Verdict,
} from "./targets.ts";

export const BEGIN = "<!-- bench:begin -->";
export const END = "<!-- bench:end -->";

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  durationS: number;
  /** Seconds of the mixed load per data set. */
  loadDurationS: number;
  machine: MachineInfo;
  results: DatasetResult[];
  verdicts: Verdict[];
}

const table = (header: string[], rows: string[][]) =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
const ms = (value: number) => `${formatNumber(value)} ms`;
const mark = (pass: boolean | null) => (pass === null ? "" : pass ? "PASS" : "**FAIL**");
const sizeLabel = (result: DatasetResult) => formatNumber(result.patients);
/** A run's server CPU per request, without the label its column header already says. */
const cpu = (run: Parameters<typeof formatCpu>[0]) => formatCpu(run).replace(" CPU/req", "");

export function renderSection(report: RunReport): string {
  const { machine, results, verdicts } = report;
  const failed = verdicts.filter((verdict) => verdict.pass === false).length;
  const passed = verdicts.filter((verdict) => verdict.pass === true).length;
  const lines: string[] = [];
  lines.push(`## Last run: ${report.finishedAt.slice(0, 16).replace("T", " ")} UTC — ${passed} PASS, ${failed} FAIL`);
  lines.push("");
  lines.push(
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.platform}; Node ${machine.node}; PostgreSQL ${machine.postgres} (embedded). Shared with other work while it ran: compare the ratios, not the absolute figures across runs.`,
  );
  lines.push("");
  lines.push(`Command: \`${report.command}\` (${report.durationS} s per load run).`);
  lines.push("");
  lines.push(
    table(
      ["data set", "patients", "appointments", "seed", "today", "seeding"],
      results.map((result) => [
        `\`${result.database}\``,
        formatNumber(result.patients),
        formatNumber(result.appointments),
        String(result.seed),
        result.today,
        `${(result.seeding.ms / 1000).toFixed(1)} s${result.seeding.measuredNow ? "" : ` (recorded ${result.seeding.seededAt.slice(0, 10)})`}`,
      ]),
    ),
  );

  lines.push("", "### 1. SQL statements per `patients.list` call (target: 1)", "");
  const shapeKeys = results[0]?.shapes ?? [];
  lines.push(
    table(
      ["request", ...results.map(sizeLabel)],
      shapeKeys.map((shape) => [
        shape.label,
        ...results.map((result) => {
          const found = result.shapes.find((entry) => entry.key === shape.key);
          return found ? `${found.statements}${found.writes ? ` (${found.writes} writes)` : ""}` : "";
        }),
      ]),
    ),
  );

  lines.push(
    "",
    "Beside its first page, the list asks `patients.counts` for its tabs' counts. The issue sets no target for " +
      "them; they are held to one statement all the same. Statements, then in-process latency p50 / p99 over " +
      `${results[0]?.counts[0]?.samples ?? 0} calls:`,
    "",
  );
  lines.push(
    table(
      ["request", ...results.map(sizeLabel)],
      (results[0]?.counts ?? []).map((counts) => [
        counts.label,
        ...results.map((result) => {
          const found = result.counts.find((entry) => entry.key === counts.key);
          return found
            ? `${found.statements}${found.writes ? ` (${found.writes} writes)` : ""}; ${ms(found.p50)} / ${ms(found.p99)}`
            : "";
        }),
      ]),
    ),
  );

  lines.push(
    "",
    "### 2. In-process latency (createCaller), first page vs half-way (target: half-way/first <= 1.5x)",
    "",
  );
  lines.push(
    table(
      ["patients", "samples", "first p50", "first p99", "half-way p50", "half-way p99", "ratio p50", "ratio p99"],
      results.map(({ latency, ...result }) => [
        formatNumber(result.patients),
        String(latency.samples),
        ms(latency.firstP50),
        ms(latency.firstP99),
        ms(latency.deepP50),
        ms(latency.deepP99),
        formatRatio(latency.ratioP50),
        formatRatio(latency.ratioP99),
      ]),
    ),
  );

  lines.push(
    "",
    "### 3–4. HTTP load (autocannon, production server) against the bare HTTP route, the ceiling and the naive version",
    "",
    "Bare HTTP route: the same SQL behind `node:http` + `pg` + `JSON.stringify`, with none of Chairside's work per request (tRPC, validation, session, audit trail, rules, cursor, compression): what any HTTP server could serve for this query here. Chairside and the bare route are measured in alternating halves of the run's duration (Chairside, bare, bare, Chairside), each side's halves pooled, so that the machine's speed drifting during the minute falls on both alike; Chairside / bare shows, in brackets, the ratio within each pair of halves measured one after the other. Ceiling: the exact SQL of the same request as a prepared statement through `pg`, pool of 10, same concurrency and duration (a statement Chairside plans for its values at each call, such as a search's next page, is replayed the same way). Unprepared: the same SQL parsed and planned at every execution, as MikroORM sends statements, for scale. " +
      `CPU/req: the server process's CPU time during the run (\`/proc\`, user + system) over its 2xx answers, for Chairside and the bare route alike: what a request costs the server, steadier than req/s on a shared machine; in brackets, the same for the PostgreSQL cluster (every backend, the audit trail's inserts included). The server, PostgreSQL and the load generator share the machine's cores. Targets (issue 18): Chairside >= ${MIN_BARE_SHARE.first}x the bare route's req/s for the first page and >= ${MIN_BARE_SHARE.search}x for a search, at 10 and at 100 connections; against the ceiling for information only (it was the target before; the bare route shows what it means on this machine). Against the naive version: >= 100x at 10,000 patients, the gap growing with N.`,
    "",
  );
  lines.push(
    table(
      [
        "patients",
        "request",
        "conns",
        "Chairside req/s",
        "p50 / p99",
        "Chairside CPU/req",
        "bare HTTP route req/s",
        "bare CPU/req",
        "Chairside / bare",
        "ceiling q/s",
        "Chairside / ceiling",
        "unprepared q/s",
        "naive req/s",
        "Chairside / naive",
      ],
      results.flatMap((result) =>
        result.load.map((figures) => [
          formatNumber(result.patients),
          figures.target === "first" ? "first page" : "search",
          String(figures.connections),
          formatNumber(figures.chairside.rps),
          `${ms(figures.chairside.latencyP50)} / ${ms(figures.chairside.latencyP99)}`,
          cpu(figures.chairside),
          `${formatNumber(figures.bare.rps)} (${formatRatio(figures.bare.rps / figures.ceiling.rps)} of the ceiling)`,
          cpu(figures.bare),
          `${formatRatio(figures.chairside.rps / figures.bare.rps)} (${figures.halves.map(formatRatio).join(", ")})`,
          formatNumber(figures.ceiling.rps),
          formatRatio(figures.chairside.rps / figures.ceiling.rps),
          figures.unprepared ? formatNumber(figures.unprepared.rps) : "—",
          figures.naive
            ? `${formatNaiveRps(figures.naive, false)}${figures.naive.boundBy === "amount" ? " †" : ""}`
            : "—",
          figures.naive ? formatNaiveGap(naiveGap(figures.chairside.rps, figures.naive)) : "—",
        ]),
      ),
    ),
  );
  lines.push(
    "",
    `For scale, the HTTP stack alone (Fastify's \`GET /health\`, 10 connections): ${results.map((result) => `${formatNumber(result.httpFloor.rps)} req/s (${formatCpu(result.httpFloor)}) at ${sizeLabel(result)}`).join(", ")}.`,
    "",
    `The cheapest tRPC calls, 10 connections: \`auth.me\` (the session, no database work) ${results.map((result) => `${formatNumber(result.trpcFloor.me.rps)} req/s (${formatCpu(result.trpcFloor.me)}) at ${sizeLabel(result)}`).join(", ")}; \`clinics.list\` (one small read) ${results.map((result) => `${formatNumber(result.trpcFloor.clinics.rps)} req/s (${formatCpu(result.trpcFloor.clinics)}) at ${sizeLabel(result)}`).join(", ")}.`,
  );
  lines.push(
    "",
    "† slower than the run is long: every connection made one request and the rate is requests over the time they took.",
  );

  lines.push("", "### 5. Response size, one page of 50 (target: <= 15 KB raw; compressed)", "");
  lines.push(
    table(
      ["patients", "rows", "raw", "compressed", "encoding", "raw / compressed"],
      results.map((result) => [
        formatNumber(result.patients),
        String(result.payload.rows),
        formatBytes(result.payload.rawBytes),
        formatBytes(result.payload.compressedBytes),
        result.payload.encoding,
        formatRatio(result.payload.rawBytes / result.payload.compressedBytes),
      ]),
    ),
  );

  lines.push("", "### 7. Server memory (RSS of the production server process)", "");
  lines.push(
    table(
      ["patients", "idle", "after load", "peak"],
      results.map((result) => [
        formatNumber(result.patients),
        formatBytes(result.memory.idleRss),
        formatBytes(result.memory.afterLoadRss),
        formatBytes(result.memory.peakRss),
      ]),
    ),
  );

  lines.push(
    "",
    `### 8. Mixed load: ${results[0]?.mixed.connections ?? 100} clients for ${report.loadDurationS} s (issue 6)`,
    "",
    `A fresh production server; each client loops over ${Math.round(MIX.list * 100)}% list pages (every tab and sort, first pages and next pages through the cursors the answers gave), ${Math.round(MIX.search * 100)}% searches (names from the data set, whole and as typed so far), ${Math.round(MIX.detail * 100)}% records opened by id and ${Math.round(MIX.edit * 100)}% edits (the record read for its version, then its notes saved; the edited records are put back afterwards). A stale edit (409 CONFLICT, two clients on one record) is an expected outcome, not an error; 5xx, connection errors, timeouts (10 s) and any other non-2xx are errors. Targets: no errors; no climb in memory: the highest RSS of the last third of the per-second samples <= ${MAX_LATE_CLIMB}x the highest of the middle third; and (issue 18) a p99 at the largest size <= ${MAX_MIXED_P99_GROWTH}x the smallest's. (The RSS rises while the server warms up to its working size, later at 1,000,000 patients, where requests are slower at first; the RSS a few seconds into the load is shown for information.)`,
    "",
  );
  lines.push(
    table(
      [
        "patients",
        "req/s",
        "p50 / p99",
        "list",
        "search",
        "detail",
        "edit (read + save)",
        "409s",
        "errors",
        "RSS before / early / after / peak",
        "RSS peak, last / middle third",
      ],
      results.map(({ mixed, ...result }) => {
        const kind = (key: keyof typeof MIX) =>
          `${formatNumber(mixed.byKind[key].requests)}: ${ms(mixed.byKind[key].latencyP50)} / ${ms(mixed.byKind[key].latencyP99)}`;
        const climb = lateClimb(mixed);
        return [
          formatNumber(result.patients),
          formatNumber(mixed.rps),
          `${ms(mixed.latencyP50)} / ${ms(mixed.latencyP99)}`,
          kind("list"),
          kind("search"),
          kind("detail"),
          kind("edit"),
          formatNumber(mixed.conflicts),
          `${mixedErrors(mixed)}${mixedErrors(mixed) ? ` (${mixed.serverErrors} 5xx, ${mixed.connectionErrors} conn, ${mixed.timeouts} timeouts, ${mixed.unexpected} other)` : ""}`,
          [mixed.memory.before, mixed.memory.early, mixed.memory.after, mixed.memory.peak].map(formatBytes).join(" / "),
          Number.isFinite(climb) ? formatRatio(climb) : "n/a",
        ];
      }),
    ),
  );
  lines.push("", "Per kind: requests, then p50 / p99.");

  lines.push(
    "",
    `### 9. A search at the ceiling, against the first page (issue 18; target: >= ${MIN_SEARCH_CEILING_SHARE}x)`,
    "",
    `The ceilings of section 3–4, the search's q/s over the first page's, at each size and concurrency: "${SEARCH_TERM}", the most common surname, shows how a broad search scales. Beside it, the same on a copy of each data set (\`<data set>_distinct\`) where one UPDATE appended each patient's id, as letters, to their surname, so that no two patients share one: there the search is one patient's surname in lower case (the first one-word surname from the middle of the ids on), with the SQL Chairside sends on that copy, against the copy's own first page.`,
    "",
  );
  lines.push(
    table(
      [
        "patients",
        "conns",
        "first page q/s",
        `search "${SEARCH_TERM}" q/s`,
        "search / first",
        "distinct: search (found)",
        "first page q/s",
        "search q/s",
        "search / first",
      ],
      results.flatMap((result) =>
        result.distinct.ceilings.map(({ connections, first, search }) => {
          const ceilingOf = (target: "first" | "search") =>
            result.load.find((figures) => figures.target === target && figures.connections === connections)?.ceiling
              .rps ?? Number.NaN;
          return [
            formatNumber(result.patients),
            String(connections),
            formatNumber(ceilingOf("first")),
            formatNumber(ceilingOf("search")),
            formatRatio(ceilingOf("search") / ceilingOf("first")),
            `"${result.distinct.term}" (${result.distinct.rows})`,
            formatNumber(first.rps),
            formatNumber(search.rps),
            formatRatio(search.rps / first.rps),
          ];
        }),
      ),
    ),
  );
  lines.push(
    "",
    `The copies' UPDATE: ${results.map((result) => `${(result.distinct.update.ms / 1000).toFixed(1)} s for ${formatNumber(result.distinct.update.patients)} surnames at ${sizeLabel(result)}${result.distinct.update.madeNow ? "" : " (when the copy was made)"}`).join(", ")}.`,
  );

  lines.push("", "### Verdicts", "");
  lines.push(
    table(
      ["data", "metric", "value", "target", ""],
      verdicts.map((verdict) => [verdict.scope, verdict.metric, verdict.value, verdict.target, mark(verdict.pass)]),
    ),
  );

  const explained = results.filter((result) => result.patients >= EXPLAIN_FROM_PATIENTS);
  const planned = explained.length ? explained : results.slice(-1);
  for (const result of planned) {
    lines.push("", `### 6. Query plans at ${formatNumber(result.patients)} patients (EXPLAIN (ANALYZE, BUFFERS))`, "");
    lines.push(
      table(
        ["request", "seq scan on patient/appointment", "planning", "execution"],
        result.explain.map((shape) => [
          shape.label,
          shape.seqScans.length ? `**${shape.seqScans.join(", ")}**` : "none",
          ms(shape.planningMs),
          ms(shape.executionMs),
        ]),
      ),
    );
    for (const shape of result.explain) {
      lines.push(
        "",
        `<details><summary>${shape.label} (${scopeOf(result)})</summary>`,
        "",
        "```",
        shape.plan,
        "```",
        "",
        "</details>",
      );
    }
  }
  return lines.join("\n");
}

const PREAMBLE = `# Benchmarks

Generated by \`pnpm bench\`; see the top of this file for what is measured and how to run it.
`;

/** Replaces the generated section of BENCHMARKS.md (creating the file, or the markers, when missing). */
export function writeSection(path: string, section: string, markers = { begin: BEGIN, end: END }): void {
  const current = existsSync(path) ? readFileSync(path, "utf8") : PREAMBLE;
  const block = `${markers.begin}\n${section}\n${markers.end}`;
  const start = current.indexOf(markers.begin);
  const end = current.indexOf(markers.end);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${block}${current.slice(end + markers.end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
  // The repository's formatter owns the file's layout (aligned tables), so `pnpm lint` stays clean.
  const formatted = spawnSync("biome", ["format", "--write", path], { encoding: "utf8" });
  if (formatted.status !== 0)
    console.warn(`bench: could not format ${path} with biome: ${formatted.stderr || formatted.error}`);
}
