// One run of the embedded cluster's postmaster: started, waited for until it accepts connections, stopped.
// Readiness comes from the server itself, not from its log (with `logging_collector = on` in postgresql.conf
// the log goes to files instead of to us): as `pg_ctl --wait` does, the status line that the postmaster
// keeps in postmaster.pid, then one connection to prove it. Asking by connection alone would write a FATAL
// line into its log for every attempt during a long recovery.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import type { PostgresUser } from "./postgres-user.ts";

export interface PostmasterSpec {
  postgresBinary: string;
  dataDir: string;
  port: number;
  /** `-c name=value` settings that override postgresql.conf. */
  settings: readonly string[];
  /** Who it runs as (the `postgres` user when we are root). */
  user: PostgresUser | undefined;
  /** The superuser it is asked with whether it accepts connections. */
  superuser: { name: string; password: string };
  /** How long it may take to accept connections (crash recovery included) before it is stopped. */
  startTimeoutMs: number;
}

export type StartOutcome =
  | { ready: true; child: ChildProcess }
  /** `log`: what it wrote to us; `reason`: one line on why it did not come up. */
  | { ready: false; log: string; reason: string };

export interface Launch {
  child: ChildProcess;
  outcome: Promise<StartOutcome>;
  /** The tail of what it wrote to us (stderr), kept while it runs. */
  log(): string;
}

const ASK_EVERY_MS = 50;
const LOG_TAIL_CHARS = 16_384;

/** Starts a postmaster; `outcome` says when it accepts connections, or why it never will. */
export function launchPostmaster(spec: PostmasterSpec): Launch {
  const child = spawn(
    spec.postgresBinary,
    ["-D", spec.dataDir, "-p", String(spec.port), ...spec.settings.flatMap((setting) => ["-c", setting])],
    {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C" },
      ...spec.user,
      // Its own process group: a terminal's Ctrl-C reaches the server alone, which writes what it holds (the audit
      // trail) and then stops PostgreSQL itself, instead of both at once and the supervisor restarting it.
      detached: true,
    },
  );
  let log = "";
  // Read for as long as it runs, so that it never blocks on a full pipe.
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-LOG_TAIL_CHARS);
  });
  let exit: string | undefined;
  const exited = new Promise<void>((resolveExit) => {
    child.once("exit", (code, signal) => {
      exit = signal ? `signal ${signal}` : `exit code ${code}`;
      resolveExit();
    });
    child.once("error", (error) => {
      exit = error.message;
      log += `\n${error.message}`;
      resolveExit();
    });
  });

  const outcome = (async (): Promise<StartOutcome> => {
    const deadline = Date.now() + spec.startTimeoutMs;
    let answer = "not started";
    for (;;) {
      if (exit !== undefined) return { ready: false, log, reason: whyItStopped(spec.dataDir, log) };
      const status = statusOf(spec.dataDir, child.pid);
      answer = status === "ready" ? await askIfAccepting(spec) : `status "${status}"`;
      if (answer === "accepting" && exit === undefined) return { ready: true, child };
      if (Date.now() >= deadline) {
        const seconds = Math.round(spec.startTimeoutMs / 1000);
        const reason = `embedded PostgreSQL in ${spec.dataDir} did not become ready within ${seconds} s (${answer}; ${lastWords(spec.dataDir, log)}), so it was stopped: see its log for why, then start again`;
        await stopPostmaster(child);
        return { ready: false, log, reason };
      }
      await Promise.race([exited, new Promise((wait) => setTimeout(wait, ASK_EVERY_MS))]);
    }
  })();
  return { child, outcome, log: () => log };
}

/**
 * The postmaster's own account of itself, line 8 of postmaster.pid ("starting", "ready", "standby",
 * "stopping"), once the file is this postmaster's: the one a killed predecessor left says "ready" too.
 */
function statusOf(dataDir: string, pid: number | undefined): string {
  try {
    const lines = readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n");
    return Number(lines[0]) === pid ? (lines[7]?.trim() ?? "starting") : "starting";
  } catch {
    return "starting";
  }
}

/** "accepting" when it takes a connection; otherwise what it (or the network) answered. */
async function askIfAccepting(spec: PostmasterSpec): Promise<string> {
  const client = new pg.Client({
    host: "127.0.0.1",
    port: spec.port,
    user: spec.superuser.name,
    password: spec.superuser.password,
    database: "postgres",
    connectionTimeoutMillis: 1_000,
  });
  client.on("error", () => {}); // a server going away mid-question answers through connect() below
  try {
    await client.connect();
    return "accepting";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Fast shutdown (open transactions rolled back, a checkpoint, exit); after 10 s, immediate shutdown. */
export function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const escalate = setTimeout(() => child.kill("SIGQUIT"), 10_000);
    child.once("exit", () => {
      clearTimeout(escalate);
      resolveStop();
    });
    child.kill("SIGINT");
  });
}

/** One line on why it stopped: its last complaint, from its log file when the log went there. */
export function whyItStopped(dataDir: string, log: string): string {
  const file = collectorLogFile(dataDir, log);
  if (file) return `embedded PostgreSQL did not start: ${complaintIn(readFileSync(file, "utf8"))} (its log: ${file})`;
  return `embedded PostgreSQL did not start: ${complaintIn(log)}`;
}

/** Where to look: its log file, or the last complaint it wrote to us. */
function lastWords(dataDir: string, log: string): string {
  const file = collectorLogFile(dataDir, log);
  return file ? `its log: ${file}` : `it last logged: ${complaintIn(log)}`;
}

/** The newest file of the logging collector, which says where it writes in its last line to us. */
function collectorLogFile(dataDir: string, log: string): string | undefined {
  const directory = /Future log output will appear in directory "([^"]+)"/.exec(log)?.[1];
  if (!directory) return undefined;
  const folder = resolve(dataDir, directory);
  try {
    const files = readdirSync(folder).map((name) => join(folder, name));
    return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  } catch {
    return undefined;
  }
}

/** The first FATAL, PANIC or ERROR line of a log, from its severity on (no time stamp); else its last line. */
export function complaintIn(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const severe = lines.find((line) => /\b(PANIC|FATAL|ERROR|error):/.test(line));
  const line = severe ?? lines.at(-1) ?? "no output";
  return /\b(PANIC|FATAL|ERROR|LOG|HINT|DETAIL|error):.*$/.exec(line)?.[0] ?? line;
}
