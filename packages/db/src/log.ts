// Chairside's log: one JSON line per event (pino). The server hands its own log (the one Fastify writes to)
// to the parts below it; code that is given none writes to standard output.
import { pino } from "pino";

/** What the data layer writes to: any pino logger, such as the server's. */
export type Log = Pick<pino.Logger, "info" | "warn" | "error">;

let standardOutput: pino.Logger | undefined;

/** The log of code that was given none (the CLI, scripts): pino's defaults, on standard output. */
export function defaultLog(): Log {
  standardOutput ??= pino();
  return standardOutput;
}
