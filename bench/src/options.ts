// The bench's command line: which data sets, how long each load run lasts, the seed, and re-seeding.
import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Data set sizes, smallest first. */
  patients: number[];
  /** Seconds per load run (autocannon, the ceiling, the naive version). */
  duration: number;
  /** Seconds of the mixed load (100 clients of list, search, detail and edit traffic), per data set. */
  loadDuration: number;
  seed: number;
  /** Seed the data sets again even when complete ones exist (to measure the seeding time afresh). */
  reseed: boolean;
  /** Leave BENCHMARKS.md alone (development runs on small data). */
  writeMarkdown: boolean;
  /** Server instances of the scale-out run (with --replica): the mixed load across them. */
  instances: number;
  /** The scale-out run: a streaming replica and PgBouncer beside the instances, against one instance alone. */
  replica: boolean;
}

const USAGE = `usage: pnpm bench [--patients 10000,100000] [--duration 10] [--load-duration 60] [--seed 1] [--reseed] [--no-markdown]
       pnpm bench --instances 2 --replica [--patients 10000] [--load-duration 60] [--seed 1] [--no-markdown]`;

function positiveInteger(text: string, flag: string): number {
  const value = Number(text.replaceAll("_", ""));
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${flag} wants a whole number > 0, got "${text}"\n${USAGE}`);
  return value;
}

/** The mixed load's length: 60 s as the issue asks, never more than ten minutes. */
export const DEFAULT_LOAD_DURATION_S = 60;
export const MAX_LOAD_DURATION_S = 600;

function boundedSeconds(text: string, flag: string, max: number): number {
  const value = positiveInteger(text, flag);
  if (value > max) throw new Error(`${flag} is at most ${max} s, got "${text}"\n${USAGE}`);
  return value;
}

function wholeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${flag} wants a whole number >= 0, got "${text}"\n${USAGE}`);
  return value;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      patients: { type: "string", default: "10000,100000" },
      duration: { type: "string", default: "10" },
      "load-duration": { type: "string", default: String(DEFAULT_LOAD_DURATION_S) },
      seed: { type: "string", default: "1" },
      reseed: { type: "boolean", default: false },
      "no-markdown": { type: "boolean", default: false },
      instances: { type: "string", default: "1" },
      replica: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const patients = [...new Set(values.patients.split(",").map((part) => positiveInteger(part.trim(), "--patients")))];
  return {
    patients: patients.sort((a, b) => a - b),
    duration: positiveInteger(values.duration, "--duration"),
    loadDuration: boundedSeconds(values["load-duration"], "--load-duration", MAX_LOAD_DURATION_S),
    seed: wholeNumber(values.seed, "--seed"),
    reseed: values.reseed,
    writeMarkdown: !values["no-markdown"],
    instances: positiveInteger(values.instances, "--instances"),
    replica: values.replica,
  };
}
