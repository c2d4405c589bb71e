// Failures to reach or start PostgreSQL, phrased so a person knows what to do next.

/** The database could not be started or reached; `message` is one line meant for a person, no stack needed. */
export class DatabaseStartupError extends Error {
  override name = "DatabaseStartupError";
}

/** Explains a `pg` connection failure in one line, without echoing the password in the URL. */
export function explainConnectionError(error: unknown, url: string): DatabaseStartupError {
  const target = describeUrl(url);
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "ECONNREFUSED":
      return new DatabaseStartupError(`cannot reach PostgreSQL at ${target}: connection refused (is it running?)`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new DatabaseStartupError(`cannot reach PostgreSQL at ${target}: unknown host`);
    case "ETIMEDOUT":
      return new DatabaseStartupError(`cannot reach PostgreSQL at ${target}: timed out`);
    case "28P01":
    case "28000":
      return new DatabaseStartupError(`PostgreSQL at ${target} refused the user or password in DATABASE_URL`);
    case "3D000":
      return new DatabaseStartupError(`PostgreSQL at ${target} has no such database: create it first`);
    default:
      if (/timeout/i.test(message)) {
        return new DatabaseStartupError(`cannot reach PostgreSQL at ${target}: timed out`);
      }
      return new DatabaseStartupError(`cannot use PostgreSQL at ${target}: ${message}`);
  }
}

/** host:port/database of a connection URL, never its password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "DATABASE_URL (not a valid URL)";
  }
}
