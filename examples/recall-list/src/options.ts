// What a run is asked to do, read once from the command line and the environment; nothing else reads them.
import { parseArgs } from "node:util";
import { apiUrl } from "@chairside/client";

export const USAGE = `Usage: node examples/recall-list/src/main.ts --url <server URL> --clinic <clinic id>

Writes the clinic's recall list to stdout as CSV: every patient due for recall (their last visit plus their
recall interval has passed, nothing is booked), the most overdue first.
Credentials come from the environment: CHAIRSIDE_EMAIL and CHAIRSIDE_PASSWORD, or a CHAIRSIDE_TOKEN
from auth.login({ issueToken: true }).
`;

export type Credentials = { token: string } | { email: string; password: string };

export interface RecallListOptions {
  /** The server's base URL. */
  url: string;
  clinicId: number;
  credentials: Credentials;
}

/** Arguments or environment that cannot work; the message says what to change. */
export class UsageError extends Error {
  override name = "UsageError";
}

const LARGEST_ID = 2 ** 31 - 1;

/** The options of a run, `"help"` when asked for the usage, or a UsageError. */
export function readOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): RecallListOptions | "help" {
  let values: { url?: string | undefined; clinic?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { url: { type: "string" }, clinic: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";

  if (!values.url) throw new UsageError("--url is required (the server's base URL, e.g. http://127.0.0.1:3000)");
  try {
    apiUrl(values.url);
  } catch {
    throw new UsageError(`--url must be an http(s) URL without query or fragment, not "${values.url}"`);
  }

  if (values.clinic === undefined) throw new UsageError("--clinic is required (the clinic's id)");
  const clinicId = /^[1-9]\d{0,9}$/.test(values.clinic) ? Number(values.clinic) : Number.NaN;
  if (!(clinicId <= LARGEST_ID)) {
    throw new UsageError(`--clinic must be a clinic's id (a positive whole number), not "${values.clinic}"`);
  }

  return { url: values.url, clinicId, credentials: readCredentials(env) };
}

function readCredentials(env: Record<string, string | undefined>): Credentials {
  const token = env.CHAIRSIDE_TOKEN?.trim();
  const email = env.CHAIRSIDE_EMAIL?.trim();
  const password = env.CHAIRSIDE_PASSWORD;
  if (token && (email || password)) {
    throw new UsageError("set either CHAIRSIDE_TOKEN or CHAIRSIDE_EMAIL and CHAIRSIDE_PASSWORD, not both");
  }
  if (token) return { token };
  if (email && password) return { email, password };
  throw new UsageError("set CHAIRSIDE_EMAIL and CHAIRSIDE_PASSWORD (or CHAIRSIDE_TOKEN) in the environment");
}
