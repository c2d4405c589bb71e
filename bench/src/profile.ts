// `pnpm bench:profile`: where a request's server time goes. The production server runs under V8's sampling
// profiler (--cpu-prof) on one bench data set while a load asks for one shape (the first page by default);
// each sample's stack is put in the first part of the request's path it belongs to (tRPC, validation, session,
// audit, cursor, serialization, compression, HTTP, the database driver...), and the table shows each part's
// share of the server's CPU time with the CPU time per request from /proc beside it. Shares, not seconds:
// they hold on a shared machine where absolute times do not. Prints markdown; writes nothing else.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { newSecret } from "./chairside-server.ts";
import { ensureDataset, startCluster } from "./datasets.ts";
import { BROWSER_HEADERS, listPath, runLoad, signInOverHttp } from "./http-load.ts";
import { startServerProcess } from "./processes.ts";
import { OWNER } from "./product.ts";
import { SEARCH_TERM } from "./shapes.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    patients: { type: "string", default: "10000" },
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "10" },
    search: { type: "boolean", default: false },
    top: { type: "string", default: "25" },
    /** Keep the raw profile (for Chrome DevTools' Performance panel) at this path. */
    save: { type: "string" },
  },
});
const patients = Number(values.patients);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const shape = values.search ? { search: SEARCH_TERM } : {};
const shapeName = values.search ? `search "${SEARCH_TERM}"` : "first page";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The parts of a request, in priority: a sample belongs to the first part named by any frame of its stack, so
 * the database calls the audit writer makes count as the audit trail, and a JSON.stringify inside tRPC counts
 * as serialization. The HTTP server is at the bottom of nearly every stack, so it comes last.
 */
const PARTS: { part: string; test: (fn: string, url: string) => boolean }[] = [
  { part: "garbage collection", test: (fn) => fn === "(garbage collector)" },
  { part: "compression", test: (fn, url) => url.includes("zlib") || /brotli|gzip|deflate/i.test(fn) },
  { part: "audit trail", test: (_fn, url) => /\/audit\//.test(url) || /trpc\/audit\.ts/.test(url) },
  { part: "session", test: (_fn, url) => /sessions?[.-]|session-store|\/staff\//.test(url) },
  { part: "cursor", test: (_fn, url) => /paging\.ts|cursor/.test(url) },
  { part: "validation (zod)", test: (_fn, url) => url.includes("/zod/") },
  { part: "serialization (superjson, JSON)", test: (fn, url) => url.includes("superjson") || /stringify/i.test(fn) },
  { part: "crypto", test: (_fn, url) => url.includes("node:crypto") || url.includes("internal/crypto") },
  { part: "database driver (pg)", test: (_fn, url) => /\/pg(-protocol|-pool|-types)?\//.test(url) },
  { part: "query building (Kysely, MikroORM)", test: (_fn, url) => /\/kysely\/|@mikro-orm/.test(url) },
  { part: "list rows (Chairside)", test: (_fn, url) => /packages\/db\/src\/patients\//.test(url) },
  { part: "tRPC", test: (_fn, url) => url.includes("@trpc/") },
  { part: "Chairside server", test: (_fn, url) => url.includes("apps/server/src") },
  { part: "Chairside data layer", test: (_fn, url) => url.includes("packages/db/src") },
  {
    part: "HTTP (Fastify, node:http, sockets)",
    test: (_fn, url) =>
      /fastify|find-my-way|avvio|light-my-request|node:_http|node:net|internal\/stream|node:stream|_http_|internal\/http/.test(
        url,
      ),
  },
  { part: "idle / event loop", test: (fn) => fn === "(idle)" || fn === "(program)" },
];

function categorize(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const rankOf = (node: ProfileNode) =>
    PARTS.findIndex(({ test }) => test(node.callFrame.functionName, node.callFrame.url));
  const partOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = partOf.get(id);
    if (known) return known;
    let best = -1;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      const rank = node ? rankOf(node) : -1;
      if (rank !== -1 && (best === -1 || rank < best)) best = rank;
    }
    const part = best === -1 ? "other" : (PARTS[best]?.part ?? "other");
    partOf.set(id, part);
    return part;
  };
  const micros = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const part = resolve(id);
    micros.set(part, (micros.get(part) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return micros;
}

/** The functions the most samples were in (self time), to show what a part is made of. */
function hottest(profile: CpuProfile, count: number): { frame: string; micros: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const micros = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") return;
    const where = frame.url
      .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "")
      .replace(/^file:\/\/.*\/(apps|packages)\//, "$1/");
    const key = `${frame.functionName || "(anonymous)"} ${where}`;
    micros.set(key, (micros.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return [...micros.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, value]) => ({ frame, micros: value }));
}

const cluster = await startCluster();
const profileDir = mkdtempSync(join(tmpdir(), "chairside-profile-"));
try {
  const dataset = await ensureDataset(cluster.url, patients, 1, { reseed: false, log: console.log });
  const server = await startServerProcess(
    join(import.meta.dirname, "..", "..", "apps", "server", "src", "main.ts"),
    {
      NODE_ENV: "production",
      DATABASE_URL: dataset.url,
      CHAIRSIDE_SECRET: newSecret(),
      SEED_DEMO_DATA: "false",
      PORT: "0",
      HOST: "127.0.0.1",
      NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}`,
    },
    /serving on (http:\/\/[\d.:]+)/,
    "the Chairside server",
  );
  const token = await signInOverHttp(server.url, OWNER.email, OWNER.password);
  const load = {
    url: `${server.url}${listPath(shape)}`,
    headers: { ...BROWSER_HEADERS, authorization: `Bearer ${token}` },
    connections,
  };
  await runLoad({ ...load, durationS: 3 }); // warm-up: in the profile, but a small share of it
  const result = await runLoad({ ...load, durationS: seconds, server });
  const cpuPerRequest = result.cpuMsPerRequest ?? Number.NaN;
  await server.stop();
  const file = readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"));
  if (!file) throw new Error("the server wrote no CPU profile");
  if (values.save) copyFileSync(join(profileDir, file), values.save);
  const profile = JSON.parse(readFileSync(join(profileDir, file), "utf8")) as CpuProfile;
  const micros = categorize(profile);
  const idle = micros.get("idle / event loop") ?? 0;
  micros.delete("idle / event loop");
  const busy = [...micros.values()].reduce((sum, value) => sum + value, 0);
  console.log(
    `\n${shapeName}, ${patients.toLocaleString("en-US")} patients, ${connections} connections, ${seconds} s: ` +
      `${Math.round(result.rps).toLocaleString("en-US")} req/s, ${cpuPerRequest.toFixed(3)} ms server CPU per request ` +
      `(/proc); the profile saw ${(busy / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle\n`,
  );
  console.log("| part of the request | share of busy CPU | ms per request |");
  console.log("| --- | ---: | ---: |");
  for (const [part, value] of [...micros.entries()].sort((a, b) => b[1] - a[1])) {
    const share = value / busy;
    console.log(`| ${part} | ${(share * 100).toFixed(1)} % | ${(share * cpuPerRequest).toFixed(3)} |`);
  }
  console.log("\n| hottest functions (self time) | share of busy CPU |");
  console.log("| --- | ---: |");
  for (const { frame, micros: value } of hottest(profile, Number(values.top))) {
    console.log(`| \`${frame}\` | ${((value / busy) * 100).toFixed(1)} % |`);
  }
} finally {
  rmSync(profileDir, { recursive: true, force: true });
  await cluster.stop();
}
