// Keeps the embedded cluster running for as long as this process wants it: a postmaster that dies without
// being asked to (killed, crashed) is started again on the same port, with backoff, one log line per
// attempt. The process that serves keeps running meanwhile; its pools reconnect once the cluster is back.
import type { ChildProcess } from "node:child_process";
import type { Log } from "../log.ts";
import { type Launch, stopPostmaster } from "./postmaster.ts";

export interface SupervisorOptions {
  /** Starts the postmaster again, exactly as the first time. */
  relaunch(): Launch;
  log: Log;
  /** What the lines name: the data folder and the port. */
  dataDir: string;
  port: number;
  /** Backoff between attempts: doubles from the first delay up to the last. */
  retryDelayMs?: { first: number; max: number };
}

export interface Supervisor {
  /** Stops the cluster for good (waiting for an attempt under way). */
  stop(): Promise<void>;
}

export const RESTART_DELAY_MS = { first: 250, max: 10_000 } as const;

export function supervise(first: ChildProcess, options: SupervisorOptions): Supervisor {
  const { log, dataDir, port } = options;
  const { first: firstDelay, max } = options.retryDelayMs ?? RESTART_DELAY_MS;
  let running: ChildProcess | undefined = first;
  let starting: Launch | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let failures = 0;

  const watch = (child: ChildProcess) => {
    child.once("exit", (code, signal) => {
      if (stopping || running !== child) return;
      running = undefined;
      failures = 0;
      retry(signal ? `signal ${signal}` : `exit code ${code}`);
    });
  };

  const retry = (why: string) => {
    const delay = Math.min(max, firstDelay * 2 ** failures);
    // The cluster is wanted only while something else keeps this process alive.
    timer = setTimeout(() => void attempt(why, delay), delay).unref();
  };

  const attempt = async (why: string, waitedMs: number) => {
    if (stopping) return;
    starting = options.relaunch();
    const outcome = await starting.outcome;
    starting = undefined;
    if (stopping) {
      if (outcome.ready) await stopPostmaster(outcome.child);
      return;
    }
    const fields = { dataDir, port, attempt: failures + 1, stoppedBy: why };
    if (outcome.ready) {
      running = outcome.child;
      watch(running);
      log.warn({ ...fields, waitedMs }, "restarted the embedded PostgreSQL, which had stopped unasked");
      failures = 0;
    } else {
      failures++;
      const retryInMs = Math.min(max, firstDelay * 2 ** failures);
      log.error(
        { ...fields, reason: outcome.reason, retryInMs },
        "the embedded PostgreSQL stopped and could not be restarted yet",
      );
      retry(why);
    }
  };

  watch(first);
  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      if (starting) await stopPostmaster(starting.child);
      if (running) await stopPostmaster(running);
    },
  };
}
