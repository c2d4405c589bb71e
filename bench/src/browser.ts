// `pnpm bench:browser`: the patient list as staff meet it, in headless Chromium at 1280x800 on the demo practice
// (3,000 patients): from a search's last key to its rows painted, the first open's timeline, and the bytes the
// first paint loads. Prints tables for BENCHMARKS.md ("In the browser") and writes the figures as JSON.
// Flags: --runs N (first opens, and typed searches per term; default 10 and 5), --key-delay MS (default 100).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { brotliCompressSync, constants } from "node:zlib";
import { DEMO_PATIENTS, DEMO_SEED } from "@chairside/db/setup";
import { build } from "vite";
import { DESKTOP, launchBrowser, signInWithForm } from "../../apps/web/test/support/browser.ts";
import { awaitRows, type FirstOpen, firstOpen, installProbe, keyToRows, shownIds } from "./browser-probes.ts";
import { newSecret, startChairside } from "./chairside-server.ts";
import { ensureDataset, startCluster, withClient } from "./datasets.ts";
import { describeMachine } from "./machine.ts";
import { formatBytes, percentile } from "./stats.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const WEB = join(ROOT, "apps", "web");
/** What production serves (apps/server serves apps/web/dist). */
const DIST = join(WEB, "dist");
/** The rows a search's answer is recognised by. */
const MATCHED_ROWS = 5;
const log = (line: string) => console.log(`bench:browser: ${line}`);

const { values } = parseArgs({
  options: { runs: { type: "string" }, "key-delay": { type: "string" } },
});
const FIRST_OPENS = Number(values.runs ?? 10);
const SEARCH_RUNS = Math.max(3, Math.round(FIRST_OPENS / 2));
const KEY_DELAY_MS = Number(values["key-delay"] ?? 100);

/** The SPA as `pnpm start` builds it (React's production build, whatever NODE_ENV this process has). */
async function buildSpa(): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: join(WEB, "vite.config.ts"), root: WEB, mode: "production", logLevel: "warn" });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/** Searches a receptionist types: a common surname, a full name, the start of a surname. */
async function searchTerms(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const common = await client.query<{ last_name: string }>(
      "select last_name from patient where archived_at is null group by last_name order by count(*) desc, last_name limit 1",
    );
    const person = await client.query<{ name: string }>(
      "select first_name || ' ' || last_name as name from patient where archived_at is null order by id limit 1 offset 1500",
    );
    const surname = (common.rows[0]?.last_name ?? "garcia").toLowerCase();
    return [surname, (person.rows[0]?.name ?? "ana garcia").toLowerCase(), surname.slice(0, 3)];
  });
}

const summary = (samples: number[]) => ({
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  samples,
});
const ms = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? "–" : `${Math.round(value)} ms`;

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const cluster = await startCluster();
  const browser = await launchBrowser();
  let server: Awaited<ReturnType<typeof startChairside>> | undefined;
  try {
    const machine = await withClient(cluster.url, describeMachine);
    const dataset = await ensureDataset(cluster.url, DEMO_PATIENTS, DEMO_SEED, { reseed: false, log });
    log("building the SPA (apps/web/dist)");
    await buildSpa();
    server = await startChairside(dataset.url, newSecret());
    log(`serving on ${server.url}`);

    // One sign-in; every measured page starts from its cookie in a fresh context (an empty browser cache).
    const signIn = await browser.newContext({ viewport: DESKTOP, locale: "en-US" });
    const signInPage = await signIn.newPage();
    await signInPage.goto(server.url);
    await signInWithForm(signInPage, "owner");
    const storageState = await signIn.storageState();
    await signIn.close();
    const freshPage = async () => {
      const context = await browser.newContext({ viewport: DESKTOP, locale: "en-US", storageState });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await installProbe(page);
      return page;
    };

    // The first open.
    const opens: FirstOpen[] = [];
    for (let run = 0; run <= FIRST_OPENS; run++) {
      const page = await freshPage();
      await page.goto(server.url);
      const open = await firstOpen(page);
      if (run > 0) opens.push(open); // the first warms the server
      await page.context().close();
    }
    const phase = (pick: (open: FirstOpen) => number | undefined) =>
      percentile(
        opens.map(pick).filter((value): value is number => value !== undefined),
        50,
      );
    const breakdown = {
      document: phase((open) => open.document),
      scripts: phase((open) => open.scripts),
      sessionStart: phase((open) => open.session?.start),
      sessionEnd: phase((open) => open.session?.end),
      listStart: phase((open) => open.list?.start),
      listEnd: phase((open) => open.list?.end),
      rowsPainted: phase((open) => open.rowsPainted),
      rowsPaintedP95: percentile(
        opens.map((open) => open.rowsPainted),
        95,
      ),
      listBeforeSessionAnswer: opens.filter((open) => open.list && open.session && open.list.start < open.session.end)
        .length,
    };

    // The first paint's bytes: every script and stylesheet fetched before the rows were painted.
    const assets = [...new Set(opens.flatMap((open) => open.assets))].sort();
    const bytesOf = (kind: string) => {
      const files = assets.filter((path) => path.endsWith(kind)).map((path) => readFileSync(join(DIST, path)));
      return {
        files: files.length,
        raw: files.reduce((sum, file) => sum + file.length, 0),
        brotli: files.reduce(
          (sum, file) => sum + brotliCompressSync(file, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
          0,
        ),
      };
    };
    const bundle = { js: bytesOf(".js"), css: bytesOf(".css"), assets };

    // Searches typed at a human pace, each on a freshly opened list.
    const terms = await searchTerms(dataset.url);
    const searches: { term: string; p50: number; p95: number; samples: number[] }[] = [];
    for (const term of terms) {
      const page = await freshPage();
      const search = page.getByLabel("Search patients");
      // The answer's rows, learnt once (this also warms the server for the term).
      await page.goto(server.url);
      await page.locator('#patient-grid[aria-busy="false"] tr.patient-row').first().waitFor();
      await search.fill(term);
      await page.waitForURL((url) => url.searchParams.get("q") === term);
      await page.locator('#patient-grid[aria-busy="false"] tr.patient-row').first().waitFor();
      await page.waitForLoadState("networkidle");
      const expected = await shownIds(page, MATCHED_ROWS);
      const samples: number[] = [];
      for (let run = 0; run < SEARCH_RUNS; run++) {
        await page.goto(server.url);
        await page.locator('#patient-grid[aria-busy="false"] tr.patient-row').first().waitFor();
        await page.waitForLoadState("networkidle");
        await search.click();
        await awaitRows(page, expected, term);
        await page.keyboard.type(term, { delay: KEY_DELAY_MS });
        samples.push(await keyToRows(page));
      }
      searches.push({ term, ...summary(samples) });
      await page.context().close();
    }

    const report = {
      startedAt,
      finishedAt: new Date().toISOString(),
      command: `pnpm bench:browser --runs ${FIRST_OPENS} --key-delay ${KEY_DELAY_MS}`,
      machine,
      chromium: browser.version(),
      patients: DEMO_PATIENTS,
      viewport: DESKTOP,
      keyDelayMs: KEY_DELAY_MS,
      searches,
      breakdown,
      opens,
      bundle,
    };
    const resultsDir = join(ROOT, "bench", "results");
    mkdirSync(resultsDir, { recursive: true });
    const jsonPath = join(resultsDir, `${startedAt.replace(/[:.]/g, "-")}-browser.json`);
    writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);

    const out = (line = "") => console.log(line);
    out();
    out(
      `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB; Node ${machine.node}; Chromium ${report.chromium} headless, ${DESKTOP.width}x${DESKTOP.height}; ${DEMO_PATIENTS.toLocaleString("en-US")} patients.`,
    );
    out();
    out(`Key to rows (${KEY_DELAY_MS} ms between keys, ${SEARCH_RUNS} runs per search):`);
    out();
    out("| search | p50 | p95 |");
    out("| --- | --- | --- |");
    for (const search of searches) out(`| "${search.term}" | ${ms(search.p50)} | ${ms(search.p95)} |`);
    const all = searches.flatMap((search) => search.samples);
    out(`| all | ${ms(percentile(all, 50))} | ${ms(percentile(all, 95))} |`);
    out();
    out(`First open (median of ${opens.length}, ms from navigation start, empty cache, signed in):`);
    out();
    out("| document | JS | session check | list request | rows painted (p95) |");
    out("| --- | --- | --- | --- | --- |");
    out(
      `| ${ms(breakdown.document)} | ${ms(breakdown.scripts)} | ${ms(breakdown.sessionStart)} → ${ms(breakdown.sessionEnd)} | ${ms(breakdown.listStart)} → ${ms(breakdown.listEnd)} | ${ms(breakdown.rowsPainted)} (${ms(breakdown.rowsPaintedP95)}) |`,
    );
    out();
    out(
      `List request sent before the session check's answer: ${breakdown.listBeforeSessionAnswer} of ${opens.length} opens.`,
    );
    out();
    out("First paint's assets (brotli at quality 11):");
    out();
    out("| | files | raw | brotli |");
    out("| --- | --- | --- | --- |");
    for (const [kind, figures] of [
      ["JS", bundle.js],
      ["CSS", bundle.css],
    ] as const)
      out(`| ${kind} | ${figures.files} | ${formatBytes(figures.raw)} | ${formatBytes(figures.brotli)} |`);
    out();
    log(`figures: ${jsonPath}`);
  } finally {
    await server?.stop();
    await browser.close();
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
