// Turns what went wrong below the API into errors a caller can act on, and nothing more.
import {
  ChairsideError,
  isConnectionFailure,
  NotFoundError,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from "@chairside/db";
import { TRPCError } from "@trpc/server";

/** The tRPC error for a failure, or null when it is a bug (left as INTERNAL_SERVER_ERROR, its message hidden). */
export function toTRPCError(cause: unknown): TRPCError | null {
  if (cause instanceof TRPCError) return cause;
  if (cause instanceof ChairsideError) return new TRPCError({ code: cause.code, message: cause.message, cause });
  if (cause instanceof NotFoundError) return new TRPCError({ code: "NOT_FOUND", message: "not found", cause });
  if (cause instanceof OptimisticLockError) {
    return new TRPCError({ code: "CONFLICT", message: "someone else changed this record first", cause });
  }
  if (cause instanceof UniqueConstraintViolationException) {
    return new TRPCError({ code: "CONFLICT", message: "this would duplicate an existing record", cause });
  }
  if (isConnectionFailure(cause)) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "the database is unavailable; try again shortly",
      cause,
    });
  }
  return null;
}
