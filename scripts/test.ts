// `pnpm test` (and `npm test`, and CI): lint, typecheck, then every vitest project against real
// PostgreSQL. Ends with one plain line "N passed, N failed" and a non-zero exit on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const resultsDir = join(root, "test-results");
const vitestReport = join(resultsDir, "vitest.json");
const CHROMIUM = "/usr/bin/chromium";
const PGBOUNCER = "/usr/sbin/pgbouncer";

interface Outcome {
  passed: number;
  failed: number;
}

function run(title: string, command: string, args: string[]): boolean {
  console.log(`\n== ${title}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.error) console.error(`could not run ${command}: ${result.error.message}`);
  return result.status === 0;
}

/** A whole-tree check (lint, typecheck) counts as one test. */
function check(title: string, command: string, args: string[]): Outcome {
  const ok = run(title, command, args);
  return { passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
}

function vitest(extraArgs: string[]): Outcome {
  mkdirSync(resultsDir, { recursive: true });
  rmSync(vitestReport, { force: true });
  const ok = run("tests", "vitest", [
    "run",
    "--config",
    "vitest.workspace.ts",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${vitestReport}`,
    ...extraArgs,
  ]);
  if (!existsSync(vitestReport)) return { passed: 0, failed: 1 }; // vitest itself crashed
  const report = JSON.parse(readFileSync(vitestReport, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numFailedTestSuites: number;
  };
  // A test file that fails to load has no failed test in it, but is a failure all the same.
  const failed = report.numFailedTests + report.numFailedTestSuites;
  return { passed: report.numPassedTests, failed: failed === 0 && !ok ? 1 : failed };
}

/** The browser tests drive Debian's Chromium; a fresh CI machine has none, so install it (as root, via apt). */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    console.warn(`\n${CHROMIUM} is missing and cannot be installed here; the browser tests will fail.`);
    return;
  }
  console.log("\n== installing Chromium for the browser tests (apt-get, once)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env });
}

/** The multi-instance tests put Debian's PgBouncer (transaction mode) in front of PostgreSQL; install it likewise. */
function ensurePgBouncer(): void {
  if (existsSync(PGBOUNCER)) return;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    console.warn(`\n${PGBOUNCER} is missing and cannot be installed here; the pooler tests will fail.`);
    return;
  }
  console.log("\n== installing PgBouncer for the pooler tests (apt-get, once)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let installed = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "pgbouncer"], {
    stdio: "inherit",
    env,
  });
  if (installed.status !== 0) {
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    installed = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "pgbouncer"], {
      stdio: "inherit",
      env,
    });
  }
}

ensureChromium();
ensurePgBouncer();
const outcomes = [
  check("lint", "biome", ["check", "."]),
  check("typecheck", "node", ["scripts/typecheck.ts"]),
  vitest(process.argv.slice(2)),
];
const passed = outcomes.reduce((sum, outcome) => sum + outcome.passed, 0);
const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
