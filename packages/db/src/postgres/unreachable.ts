// One rule for "the database did not answer" (as opposed to refusing a statement): a read then tries another
// database, and a caller gets SERVICE_UNAVAILABLE rather than an internal error.
import { ConnectionException } from "@mikro-orm/core";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "57P01",
  "57P02",
  "57P03",
  "08006",
  "08001",
  // PgBouncer's own errors (it cannot reach the server, or a client waited too long for a server connection).
  "08P01",
]);

export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof ConnectionException) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === "string" && CONNECTION_CODES.has(code)) ||
    // "is not queryable": pg refusing to send on a connection that already failed (e.g. a COMMIT or RELEASE
    // SAVEPOINT after the server went away), so nothing of the transaction was committed.
    /Connection terminated|timeout exceeded when trying to connect|is not queryable|Query read timeout|server login has been failing|query_wait_timeout/i.test(
      String((error as Error)?.message),
    )
  );
}
