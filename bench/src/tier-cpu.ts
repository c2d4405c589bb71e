// CPU time per tier, read from /proc: a server process, a PostgreSQL cluster (its postmaster, the backends it
// runs now and those it has reaped), PgBouncer. Clock ticks, turned into milliseconds by the caller's CLK_TCK.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Clock ticks per second of /proc's CPU fields. */
export const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

interface Stat {
  ppid: number;
  /** utime + stime */
  own: number;
  /** cutime + cstime: children that exited and were waited for. */
  reaped: number;
}

function statOf(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name (which may hold spaces): state, ppid, ... utime (12th), stime, cutime, cstime.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      ppid: Number(fields[1]),
      own: Number(fields[11]) + Number(fields[12]),
      reaped: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null;
  }
}

/** One process's own CPU ticks (a server, PgBouncer). */
export function processTicks(pid: number): number {
  return statOf(pid)?.own ?? 0;
}

/** A PostgreSQL cluster's CPU ticks: the postmaster named by its data folder's postmaster.pid, and its children. */
export function clusterTicks(dataDir: string): number {
  const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const root = statOf(postmaster);
  if (!root) return 0;
  let ticks = root.own + root.reaped;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat?.ppid === postmaster) ticks += stat.own;
  }
  return ticks;
}

export const ticksToMs = (ticks: number) => (ticks / TICKS_PER_SECOND) * 1000;
