// The scale-out run's section of BENCHMARKS.md (between its own markers) and its terminal table.
import type { MachineInfo } from "./machine.ts";
import type { ArrangementResult, ScaleOutReport } from "./scale-out.ts";

export const SCALE_OUT_MARKERS = { begin: "<!-- bench:scale-out:begin -->", end: "<!-- bench:scale-out:end -->" };

export interface ScaleOutRun {
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  loadDurationS: number;
  report: ScaleOutReport;
}

const ms = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined || !Number.isFinite(value) ? "–" : `${value.toFixed(digits)} ms`;

function share(result: ArrangementResult): string {
  const total = result.reads.primary + result.reads.replica;
  return total === 0 ? "–" : `${((result.reads.replica / total) * 100).toFixed(1)} %`;
}

/** The rows of the side-by-side table: one line per figure, one column per arrangement. */
export function scaleOutRows(report: ScaleOutReport): [string, string, string][] {
  const { single, scaled } = report;
  const both = (figure: (result: ArrangementResult) => string): [string, string] => [figure(single), figure(scaled)];
  return [
    ["instances", ...both((r) => String(r.instances))],
    [
      "between the instances and the primary",
      ...both((r) => (r.pooler ? "PgBouncer 1.18, transaction mode" : "direct")),
    ],
    ["requests", ...both((r) => r.mixed.requests.toLocaleString("en-US"))],
    ["errors (5xx, connection, timeout, unexpected)", ...both((r) => String(r.errors))],
    ["edits refused as stale (409, not errors)", ...both((r) => String(r.mixed.conflicts))],
    ["requests/s", ...both((r) => r.mixed.rps.toFixed(0))],
    ["latency p50", ...both((r) => ms(r.mixed.latencyP50))],
    ["latency p99", ...both((r) => ms(r.mixed.latencyP99))],
    ["reads served by the replica", ...both(share)],
    ["replica lag p50 (replay_lag)", ...both((r) => (r.lagMs ? ms(r.lagMs.p50) : "–"))],
    ["replica lag p99 (replay_lag)", ...both((r) => (r.lagMs ? ms(r.lagMs.p99) : "–"))],
    ["server CPU per request (all instances)", ...both((r) => ms(r.cpuPerRequestMs.servers, 2))],
    ["primary CPU per request", ...both((r) => ms(r.cpuPerRequestMs.primary, 2))],
    ["replica CPU per request", ...both((r) => ms(r.cpuPerRequestMs.replica, 2))],
    ["PgBouncer CPU per request", ...both((r) => ms(r.cpuPerRequestMs.pgbouncer, 3))],
    ["list page as sent (brotli)", ...both((r) => `${(r.mixed.listPageBytes / 1024).toFixed(1)} KB`)],
  ];
}

export function renderScaleOutSection(run: ScaleOutRun): string {
  const { report, machine } = run;
  const rows = scaleOutRows(report);
  const table = [
    `| | ${report.single.label} | ${report.scaled.label} |`,
    "| --- | --- | --- |",
    ...rows.map(([figure, single, scaled]) => `| ${figure} | ${single} | ${scaled} |`),
  ];
  const clinics = report.clinics
    .map(
      (row) =>
        `clinic ${row.clinic}: ${row.patients.toLocaleString("en-US")} patients, ${row.appointments.toLocaleString("en-US")} appointments`,
    )
    .join("; ");
  const tables = [
    "| table | rows | size with indexes | per row |",
    "| --- | --- | --- | --- |",
    ...report.tables.map(
      (row) =>
        `| \`${row.table}\` | ${row.rows.toLocaleString("en-US")} | ${(row.bytes / 2 ** 20).toFixed(1)} MB | ${row.rows ? Math.round(row.bytes / row.rows) : "–"} B |`,
    ),
  ];
  return [
    "## Several instances, a replica and PgBouncer (generated)",
    "",
    `\`${run.command}\`, ${run.startedAt} to ${run.finishedAt}, on ${machine.cores} cores (${machine.cpuModel}), ` +
      `${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}. ${report.patients.toLocaleString("en-US")} ` +
      `patients, ${report.appointments.toLocaleString("en-US")} appointments (${clinics}). Both arrangements run the same ` +
      `${run.loadDurationS} s mixed load (100 clients: list pages, searches, records, edits; each client sends back the ` +
      "position of its last write, as the SPA's cookie does) on the same primary and replica, one after the other; " +
      "the load generator, every server and both PostgreSQL servers share the machine's cores, so compare the columns, " +
      "not these figures with another run's.",
    "",
    ...table,
    "",
    "The tables after both runs (the audit trail holds both loads' entries):",
    "",
    ...tables,
    "",
  ].join("\n");
}

export function printScaleOut(run: ScaleOutRun, print: (line: string) => void): void {
  const rows = scaleOutRows(run.report);
  const width = Math.max(...rows.map(([figure]) => figure.length));
  const column = Math.max(run.report.single.label.length, ...rows.map(([, single]) => single.length));
  print(`${"".padEnd(width)}  ${run.report.single.label.padEnd(column)}  ${run.report.scaled.label}`);
  for (const [figure, single, scaled] of rows) print(`${figure.padEnd(width)}  ${single.padEnd(column)}  ${scaled}`);
}
