// The verdicts as a table on the terminal.
import type { Verdict } from "./targets.ts";

const mark = (pass: boolean | null) => (pass === null ? "" : pass ? "PASS" : "FAIL");

export function printTable(verdicts: Verdict[], write: (line: string) => void): void {
  const rows = verdicts.map((verdict) => [
    verdict.scope,
    verdict.metric,
    verdict.value,
    verdict.target,
    mark(verdict.pass),
  ]);
  const header = ["data", "metric", "value", "target", ""];
  const widths = header.map((title, column) =>
    Math.min(90, Math.max(title.length, ...rows.map((row) => (row[column] as string).length))),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join("  ");
  write(line(header));
  write(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) write(line(row));
  const failed = verdicts.filter((verdict) => verdict.pass === false).length;
  const passed = verdicts.filter((verdict) => verdict.pass === true).length;
  write("");
  write(`${passed} PASS, ${failed} FAIL`);
}
