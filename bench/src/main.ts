// `pnpm bench`: Chairside's patient list measured side by side with the naive version it replaces and with
// PostgreSQL's own ceiling, on deterministic data sets; prints a table, writes a JSON file and the generated
// section of BENCHMARKS.md. Not part of `pnpm test`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startCluster, withClient } from "./datasets.ts";
import { describeMachine } from "./machine.ts";
import { type RunReport, renderSection, writeSection } from "./markdown.ts";
import { type BenchOptions, parseOptions } from "./options.ts";
import { type DatasetResult, runDataset } from "./run-dataset.ts";
import { runScaleOut } from "./scale-out.ts";
import { printScaleOut, renderScaleOutSection, SCALE_OUT_MARKERS, type ScaleOutRun } from "./scale-out-markdown.ts";
import { judge } from "./targets.ts";
import { printTable } from "./terminal.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const log = (line: string) => console.log(`bench: ${line}`);

/** `--instances N --replica`: the mixed load past one machine, beside one instance alone. */
async function scaleOut(options: BenchOptions): Promise<number> {
  const startedAt = new Date().toISOString();
  const patients = options.patients[0] ?? 10_000;
  const command = `pnpm bench --instances ${options.instances} --replica --patients ${patients} --load-duration ${options.loadDuration} --seed ${options.seed}`;
  log(command);
  const report = await runScaleOut({
    patients,
    seed: options.seed,
    instances: options.instances,
    loadDurationS: options.loadDuration,
    log,
  });
  const cluster = await startCluster();
  const machine = await withClient(cluster.url, describeMachine).finally(() => cluster.stop());
  const run: ScaleOutRun = {
    command,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    loadDurationS: options.loadDuration,
    report,
  };
  console.log("");
  printScaleOut(run, (line) => console.log(line));
  const resultsDir = join(ROOT, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, `${startedAt.replace(/[:.]/g, "-")}-scale-out-p${patients}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(run, null, 2)}\n`);
  log(`figures: ${jsonPath}`);
  if (options.writeMarkdown) {
    writeSection(join(ROOT, "BENCHMARKS.md"), renderScaleOutSection(run), SCALE_OUT_MARKERS);
    log("BENCHMARKS.md updated");
  }
  return report.single.errors + report.scaled.errors > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.replica || options.instances > 1) return scaleOut(options);
  const startedAt = new Date().toISOString();
  const command = `pnpm bench --patients ${options.patients.join(",")} --duration ${options.duration} --load-duration ${options.loadDuration} --seed ${options.seed}${options.reseed ? " --reseed" : ""}`;
  log(command);

  const cluster = await startCluster();
  const results: DatasetResult[] = [];
  let report: RunReport;
  try {
    const machine = await withClient(cluster.url, describeMachine);
    for (const patients of options.patients) {
      log(`--- ${patients.toLocaleString("en-US")} patients ---`);
      results.push(
        await runDataset(cluster.url, patients, options.seed, {
          durationS: options.duration,
          loadDurationS: options.loadDuration,
          reseed: options.reseed,
          log,
        }),
      );
    }
    report = {
      startedAt,
      finishedAt: new Date().toISOString(),
      command,
      durationS: options.duration,
      loadDurationS: options.loadDuration,
      machine,
      results,
      verdicts: judge(results),
    };
  } finally {
    await cluster.stop();
  }

  console.log("");
  printTable(report.verdicts, (line) => console.log(line));

  const resultsDir = join(ROOT, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, `${startedAt.replace(/[:.]/g, "-")}-p${options.patients.join("-")}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  log(`figures: ${jsonPath}`);
  if (options.writeMarkdown) {
    writeSection(join(ROOT, "BENCHMARKS.md"), renderSection(report));
    log("BENCHMARKS.md updated");
  }
  return report.verdicts.some((verdict) => verdict.pass === false) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
