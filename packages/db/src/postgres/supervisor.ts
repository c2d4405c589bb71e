// Keeps the embedded cluster running for as long as this process wants it: a postmaster that dies without
// being asked to (killed, crashed) is started again on the same port, with backoff, one log line per
// attempt. The process that serves keeps running meanwhile; its pools reconnect once the cluster is back.
import type { Log } from "../log.ts";
import { complaintIn, type Launch, stopPostmaster } from "./postmaster.ts";

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

export function supervise(first: Launch, options: SupervisorOptions): Supervisor {
  const { log, dataDir, port } = options;
  const { first: firstDelay, max } = options.retryDelayMs ?? RESTART_DELAY_MS;
  let running: Launch | undefined = first;
  let starting: Launch | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let failures = 0;

  const watch = (launch: Launch) => {
    launch.child.once("exit", (code, signal) => {
      if (stopping || running !== launch) return;
      running = undefined;
      failures = 0;
      // What it wrote last often says why it went (a PANIC, say); a kill leaves no word.
      retry({ stoppedBy: signal ? `signal ${signal}` : `exit code ${code}`, lastLogged: complaintIn(launch.log()) });
    });
  };

  const retry = (stop: { stoppedBy: string; lastLogged: string }) => {
    const delay = Math.min(max, firstDelay * 2 ** failures);
    // The cluster is wanted only while something else keeps this process alive.
    timer = setTimeout(() => void attempt(stop), delay).unref();
  };

  const attempt = async (stop: { stoppedBy: string; lastLogged: string }) => {
    if (stopping) return;
    const launch = options.relaunch();
    starting = launch;
    const outcome = await launch.outcome;
    starting = undefined;
    if (stopping) {
      if (outcome.ready) await stopPostmaster(outcome.child);
      return;
    }
    const fields = { dataDir, port, attempt: failures + 1, ...stop };
    if (outcome.ready) {
      running = launch;
      watch(launch);
      log.warn(fields, "restarted the embedded PostgreSQL, which had stopped unasked");
      failures = 0;
    } else {
      failures++;
      const retryInMs = Math.min(max, firstDelay * 2 ** failures);
      log.error(
        { ...fields, reason: outcome.reason, retryInMs },
        "the embedded PostgreSQL stopped and could not be restarted yet",
      );
      retry(stop);
    }
  };

  watch(first);
  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      if (starting) await stopPostmaster(starting.child);
      if (running) await stopPostmaster(running.child);
    },
  };
}
