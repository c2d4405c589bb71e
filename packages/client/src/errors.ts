// Reading what went wrong in a call: the API's error code, the field issues of invalid input, and what a
// conflict is about, typed from the server's error formatter.
import type { AppRouter } from "@chairside/server";
import { TRPCClientError } from "@trpc/client";

export type ChairsideClientError = TRPCClientError<AppRouter>;
type ErrorData = NonNullable<ChairsideClientError["data"]>;
/** UNAUTHORIZED, FORBIDDEN, NOT_FOUND, BAD_REQUEST, CONFLICT, ... */
export type ChairsideErrorCode = ErrorData["code"];

/**
 * True for an error a call to the API raised (its answer, or no answer at all), narrowed to the API's
 * typed shape: `error.data?.code`, `error.data?.zodError?.fieldErrors`, `error.data?.details`.
 * With a code, true only for that code.
 */
export function isChairsideError(error: unknown, code?: ChairsideErrorCode): error is ChairsideClientError {
  return error instanceof TRPCClientError && (code === undefined || error.data?.code === code);
}

export interface ChairsideErrorInfo {
  /** The API's code; null when no answer came from the API (server unreachable, or not a Chairside server). */
  code: ChairsideErrorCode | null;
  message: string;
  httpStatus: number | null;
  /** Invalid input's issues per field (`{ limit: ["Too small: expected number to be >=1"] }`). */
  fieldErrors: Partial<Record<string, string[]>>;
  /** Invalid input's issues that belong to no single field. */
  formErrors: string[];
  /** What a CONFLICT or NOT_FOUND is about, as the procedure describes it; null when it says nothing. */
  details: unknown;
}

/** The parts of an API error a caller acts on, flat; null when `error` did not come from a call. */
export function readChairsideError(error: unknown): ChairsideErrorInfo | null {
  if (!isChairsideError(error)) return null;
  const data = error.data;
  return {
    code: data?.code ?? null,
    message: error.message,
    httpStatus: data?.httpStatus ?? null,
    fieldErrors: data?.zodError?.fieldErrors ?? {},
    formErrors: data?.zodError?.formErrors ?? [],
    details: data?.details ?? null,
  };
}
