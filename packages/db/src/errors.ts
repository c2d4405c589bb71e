// Domain errors: what went wrong in the clinic's terms, with a code the API passes on unchanged.
// The server maps `code` to a tRPC error; nothing here knows about HTTP.

export type ChairsideErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "SERVICE_UNAVAILABLE";

export class ChairsideError<Details = unknown> extends Error {
  override name = "ChairsideError";
  readonly code: ChairsideErrorCode;
  /** Data the caller can act on (the existing duplicate, the current record...); safe to send to clients. */
  readonly details: Details | undefined;

  constructor(code: ChairsideErrorCode, message: string, details?: Details) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
