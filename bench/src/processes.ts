// The servers under load run as child processes, so the load generator never shares their event loop and
// their memory can be read from /proc. Each is stopped by its own pid when its measurements are done.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { processTicks } from "./tier-cpu.ts";

export interface ServerProcess {
  /** Where it serves, e.g. http://127.0.0.1:40123 */
  url: string;
  pid: number;
  /** Resident memory now, and its peak so far, in bytes (VmRSS / VmHWM). */
  memory(): { rss: number; peak: number };
  /** CPU time used so far (user + system), in clock ticks. */
  cpuTicks(): number;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match?.[1] ? Number(match[1]) * 1024 : Number.NaN;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const escalate = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(escalate);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts `node script` with `env` and waits for the line that says where it serves (`listening`'s first group). */
export function startServerProcess(
  script: string,
  env: Record<string, string>,
  listening: RegExp,
  label: string,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${label} did not start within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = listening.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      // Keep draining, so a chatty server never blocks on a full pipe; errors still reach our stderr.
      child.stdout?.resume();
      child.off("exit", onExit);
      const pid = child.pid as number;
      resolve({
        url: match[1],
        pid,
        memory: () => ({ rss: statusField(pid, "VmRSS"), peak: statusField(pid, "VmHWM") }),
        cpuTicks: () => processTicks(pid),
        stop: () => stopChild(child),
      });
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code}) before serving:\n${output}`));
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-20_000);
    });
    child.on("exit", onExit);
  });
}
