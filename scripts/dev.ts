// `pnpm dev`: the API (restarting on server or database code changes) and the SPA with hot reload,
// Vite proxying /trpc to the API. Open the URL Vite prints.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const apiPort = process.env.PORT ?? "4000";

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((line) => `[${name}] ${line}\n`)
      .join("");
  child.stdout?.on("data", (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  return child;
}

const api = start(
  "api",
  process.execPath,
  ["--watch-path=apps/server/src", "--watch-path=packages/db/src", "apps/server/src/main.ts"],
  { PORT: apiPort },
);
const web = start("web", "vite", ["--config", "apps/web/vite.config.ts", "apps/web"], {
  CHAIRSIDE_API_URL: `http://127.0.0.1:${apiPort}`,
});

let stopping = false;
function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of [api, web]) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 5_000).unref();
  Promise.all([api, web].map((child) => new Promise((resolve) => child.once("exit", resolve)))).then(() =>
    process.exit(code),
  );
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
for (const child of [api, web]) child.once("exit", (code) => stop(code ?? 1));
