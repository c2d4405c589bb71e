// `pnpm bench:builds <checkout> <checkout>...`: server builds side by side, to decide whether a piece of our own
// pays against the stock one (a git worktree per build, each installed). Each build's production server runs
// on one bench data set (seeded by `pnpm bench`); rounds alternate between them, so that the noise of a shared
// machine falls on all alike: the first page and a search at 10 connections, requests per second and the
// server's CPU time per request (from /proc). Prints a table of medians and minima; writes nothing.
import { parseArgs } from "node:util";
import { datasetName, readMarker, startCluster } from "./datasets.ts";
import { BROWSER_HEADERS, listPath, runLoad, signInOverHttp } from "./http-load.ts";
import { type ServerProcess, startServerProcess } from "./processes.ts";
import { OWNER } from "./product.ts";
import { SEARCH_TERM } from "./shapes.ts";
import { percentile } from "./stats.ts";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    patients: { type: "string", default: "10000" },
    rounds: { type: "string", default: "8" },
    seconds: { type: "string", default: "8" },
  },
});
if (positionals.length < 2) {
  console.error("usage: pnpm bench:builds <checkout> <checkout>... [--patients 10000] [--rounds 8] [--seconds 8]");
  process.exit(2);
}
const patients = Number(values.patients);
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const SHAPES = { "first page": {}, [`search "${SEARCH_TERM}"`]: { search: SEARCH_TERM } } as const;

const cluster = await startCluster();
try {
  const url = new URL(cluster.url);
  url.pathname = `/${datasetName(patients, 1)}`;
  if (!(await readMarker(cluster.url, datasetName(patients, 1)))) {
    throw new Error(`no complete data set of ${patients} patients: run pnpm bench --patients ${patients} first`);
  }
  const secret = `compare builds ${"x".repeat(32)}`;
  const builds: { checkout: string; server: ServerProcess; token: string; rps: number[][]; cpu: number[][] }[] = [];
  for (const checkout of positionals) {
    const server = await startServerProcess(
      `${checkout}/apps/server/src/main.ts`,
      {
        NODE_ENV: "production",
        DATABASE_URL: url.toString(),
        CHAIRSIDE_SECRET: secret,
        SEED_DEMO_DATA: "false",
        PORT: "0",
        HOST: "127.0.0.1",
      },
      /serving on (http:\/\/[\d.:]+)/,
      checkout,
    );
    const token = await signInOverHttp(server.url, OWNER.email, OWNER.password);
    builds.push({ checkout, server, token, rps: [[], []], cpu: [[], []] });
  }
  for (let round = 0; round < rounds; round++) {
    for (const build of builds) {
      for (const [index, input] of Object.values(SHAPES).entries()) {
        const load = {
          url: `${build.server.url}${listPath(input)}`,
          headers: { ...BROWSER_HEADERS, authorization: `Bearer ${build.token}` },
          connections: 10,
        };
        await runLoad({ ...load, durationS: 2 }); // warm-up, unmeasured
        const result = await runLoad({ ...load, durationS: seconds, server: build.server });
        build.rps[index]?.push(result.rps);
        build.cpu[index]?.push(result.cpuMsPerRequest ?? Number.NaN);
      }
    }
    console.log(`round ${round + 1} of ${rounds} done`);
  }
  console.log(`\n${patients.toLocaleString("en-US")} patients, ${rounds} rounds of ${seconds} s, 10 connections`);
  for (const [index, shape] of Object.keys(SHAPES).entries()) {
    for (const build of builds) {
      const rps = build.rps[index] ?? [];
      const cpu = build.cpu[index] ?? [];
      console.log(
        `${shape.padEnd(18)} ${build.checkout.padEnd(28)} ${percentile(rps, 50).toFixed(0).padStart(5)} req/s (median)  ` +
          `${percentile(cpu, 50).toFixed(3)} ms CPU per request (median), ${Math.min(...cpu).toFixed(3)} (min)`,
      );
    }
  }
  for (const build of builds) await build.server.stop();
} finally {
  await cluster.stop();
}
