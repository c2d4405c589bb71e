// What went wrong with an API call, in terms a person at the front desk can act on.
import type { AppRouter } from "@chairside/server";
import { TRPCClientError } from "@trpc/client";

export type ApiError = TRPCClientError<AppRouter>;
export type ApiErrorCode = NonNullable<ApiError["data"]>["code"];

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** The tRPC error code, or null for a failure that never reached the API (network, offline). */
export function errorCode(error: unknown): ApiErrorCode | null {
  return isApiError(error) ? (error.data?.code ?? null) : null;
}

/** The server's field issues, by field name: the schema's (zodError) and the domain's (details.fieldErrors). */
export function fieldErrorsOf(error: unknown): Partial<Record<string, string[]>> {
  if (!isApiError(error)) return {};
  const details = error.data?.details;
  const domain =
    typeof details === "object" && details !== null && "fieldErrors" in details && isFieldErrors(details.fieldErrors)
      ? details.fieldErrors
      : {};
  return { ...domain, ...(error.data?.zodError?.fieldErrors ?? {}) };
}

function isFieldErrors(value: unknown): value is Record<string, string[]> {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.values(value).every((messages) => Array.isArray(messages) && messages.every((m) => typeof m === "string"))
  );
}

/** What a CONFLICT (or another refusal) is about: the current record, the likely duplicates... */
export function errorDetails(error: unknown): unknown {
  return isApiError(error) ? (error.data?.details ?? null) : null;
}

/** The details of a CONFLICT when they carry this `reason` (the server's conflict types are discriminated by it). */
export function conflictDetails<Details extends { reason: string }>(
  error: unknown,
  reasons: readonly Details["reason"][],
): Details | null {
  if (errorCode(error) !== "CONFLICT") return null;
  const details = errorDetails(error);
  const matches =
    typeof details === "object" &&
    details !== null &&
    "reason" in details &&
    typeof details.reason === "string" &&
    reasons.includes(details.reason);
  // The reason identifies the server's type, which the caller names.
  return matches ? (details as Details) : null;
}

/** A request the same way will fail the same way: do not retry it automatically. */
export function isPermanent(error: unknown): boolean {
  const status = isApiError(error) ? error.data?.httpStatus : undefined;
  return status !== undefined && status >= 400 && status < 500;
}

/** One sentence for the user: what happened, and (where it helps) what to do. */
export function describeError(error: unknown): string {
  const code = errorCode(error);
  const message = isApiError(error) ? error.message : "";
  switch (code) {
    case null:
      return "The server could not be reached. Check the connection and try again.";
    case "UNAUTHORIZED":
      return "Your session has ended. Sign in again to continue.";
    case "FORBIDDEN":
      return "Your role does not allow this. Ask the practice owner if you need it.";
    case "NOT_FOUND":
      return "This record does not exist, or it belongs to a clinic you do not work at.";
    case "TOO_MANY_REQUESTS":
      return `Too many attempts. Try again ${waitDescription(errorDetails(error))}.`;
    case "SERVICE_UNAVAILABLE":
      return "The database is unavailable right now. Try again in a moment.";
    case "INTERNAL_SERVER_ERROR":
      return "Something went wrong on our side; it has been logged. Try again.";
    default:
      return message ? sentence(message) : "The request failed. Try again.";
  }
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;

function waitDescription(details: unknown): string {
  const seconds =
    typeof details === "object" && details !== null && "retryAfterSeconds" in details
      ? Number(details.retryAfterSeconds)
      : Number.NaN;
  if (!Number.isFinite(seconds)) return "in a few minutes";
  if (seconds < 60) return `in ${Math.max(1, Math.ceil(seconds))} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "in a minute" : `in ${minutes} minutes`;
}
