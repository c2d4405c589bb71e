#!/usr/bin/env node
// Runs a command with the project's own toolchain: Node 24 and pnpm from the npm registry, kept in
// the git-ignored .tools/ folder, and the workspace's dependencies installed. Plain JavaScript that
// runs on any Node >= 18, because this is what a fresh machine with an old Node runs first.
//
//   node scripts/toolchain.mjs <command> [args...]
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const NODE_VERSION = "24.21.0";
const PNPM_VERSION = "12.21.0";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tools = join(root, ".tools");
const toolsBin = join(tools, "node_modules", ".bin");
const say = (line) => process.stderr.write(`chairside: ${line}\n`);

function fail(line) {
  say(line);
  process.exit(1);
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

/** Node 24 and pnpm, installed once with npm into .tools/ (about 7 s) and reused while the stamp matches. */
function ensureTools() {
  const stamp = join(tools, "stamp");
  const wanted = `node ${NODE_VERSION} pnpm ${PNPM_VERSION} ${process.platform}-${process.arch}`;
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return;

  const nodePackage = `node-${process.platform}-${process.arch}`;
  say(`installing Node ${NODE_VERSION} and pnpm ${PNPM_VERSION} into .tools/ (once)`);
  mkdirSync(tools, { recursive: true });
  writeFileSync(
    join(tools, "package.json"),
    `${JSON.stringify({ name: "chairside-tools", private: true }, null, 2)}\n`,
  );
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const status = run(npm, [
    "install",
    "--prefix",
    tools,
    "--no-audit",
    "--no-fund",
    "--no-save",
    "--loglevel=error",
    `${nodePackage}@${NODE_VERSION}`,
    `pnpm@${PNPM_VERSION}`,
  ]);
  if (status !== 0) fail(`npm could not install ${nodePackage}@${NODE_VERSION} and pnpm@${PNPM_VERSION}`);
  writeFileSync(stamp, wanted);
}

/** `pnpm install` when the lockfile or a manifest changed since the last install. */
function ensureDependencies(env) {
  const manifests = ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "bench/package.json"];
  for (const folder of ["apps", "packages", "examples"]) {
    if (!existsSync(join(root, folder))) continue;
    for (const name of readdirSync(join(root, folder)).sort()) manifests.push(join(folder, name, "package.json"));
  }
  const hash = createHash("sha256");
  for (const file of manifests) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  const digest = hash.digest("hex");
  const stamp = join(root, "node_modules", ".chairside-installed");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return;

  // pnpm itself insists on the lockfile as committed when CI is set, and updates it on a developer's machine.
  const status = run(join(toolsBin, "pnpm"), ["install"], env);
  if (status !== 0) fail("pnpm install failed (see above)");
  writeFileSync(stamp, digest);
}

const [command, ...args] = process.argv.slice(2);
if (!command) fail("usage: node scripts/toolchain.mjs <command> [args...]");

ensureTools();
const env = {
  ...process.env,
  PATH: [toolsBin, join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter),
  CHAIRSIDE_TOOLCHAIN: "1",
};
if (process.env.CHAIRSIDE_SKIP_INSTALL !== "1") ensureDependencies(env);

// Spawn (not exec) so that Ctrl-C and SIGTERM reach the child, and its exit code becomes ours.
const child = spawn(command, args, { cwd: process.cwd(), stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("error", (error) => fail(`could not run ${command}: ${error.message}`));
child.on("exit", (code, signal) => {
  process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
});
