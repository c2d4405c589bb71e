// The calls nearly every request makes, answered without the fetch Request and Response that tRPC's
// resolveResponse works on: queries over GET and mutations over POST with a JSON body, one or a batch, answered as
// one JSON document. Each step is tRPC's own (callTRPCProcedure, getTRPCErrorShape, transformTRPCResponse,
// getHTTPStatusCode), in resolveResponse's order. Kept because it pays, measured side by side (BENCHMARKS.md,
// "tRPC's calls without the fetch objects"). Anything else (subscriptions, streamed batches, other content types,
// connection params) and every request tRPC itself refuses before running a call (an unknown procedure, the wrong
// method, input that is not JSON, an oversized batch) is not a plain call: resolveResponse answers it, so tRPC keeps
// the last word on its protocol. test/plain-calls.test.ts holds each answer against tRPC's own Fastify adapter.
import {
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type inferRouterContext,
  TRPCError,
  transformTRPCResponse,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import type { FastifyRequest } from "fastify";

type ProcedureType = "query" | "mutation";

interface PlainCall {
  path: string;
  type: ProcedureType;
  /** The call's input as sent, before the transformer. */
  sent: unknown;
}

export interface PlainRequest {
  batch: boolean;
  calls: PlainCall[];
}

export interface PlainAnswer {
  status: number;
  /** The JSON document, as tRPC writes it. */
  body: string;
  contentType: string;
  vary: string;
}

const TYPE_OF_METHOD: Record<string, ProcedureType | undefined> = { GET: "query", POST: "mutation" };

/** The request's calls when it is a plain one (see above); null for resolveResponse. */
export function plainRequest(
  router: AnyTRPCRouter,
  request: FastifyRequest<{ Params: { path: string } }>,
  maxBatchSize: number | undefined,
): PlainRequest | null {
  const type = TYPE_OF_METHOD[request.method];
  if (!type) return null;
  const { headers } = request;
  const contentType = headers["content-type"];
  if (type === "mutation" ? !contentType?.startsWith("application/json") : contentType !== undefined) return null;
  // Streamed batches (httpBatchStreamLink) ask for JSON lines.
  if (headers["trpc-accept"] !== undefined || headers.accept?.includes("application/jsonl")) return null;
  const { path } = request.params;
  // tRPC decodes the path once more; a path that would change is left to it.
  if (path.includes("%")) return null;

  const queryAt = request.url.indexOf("?");
  const search = new URLSearchParams(queryAt === -1 ? "" : request.url.slice(queryAt + 1));
  if (search.has("connectionParams")) return null;
  const batch = search.get("batch") === "1";
  const paths = batch ? path.split(",") : [path];
  if (batch && maxBatchSize !== undefined && paths.length > maxBatchSize) return null;

  const procedures = router._def.procedures as Record<string, { _def: { type: string } } | undefined>;
  for (const at of paths) {
    if (!Object.hasOwn(procedures, at) || procedures[at]?._def.type !== type) return null;
  }

  let inputs: unknown;
  const text = type === "query" ? search.get("input") : request.body;
  if (typeof text === "string" && text !== "") {
    try {
      inputs = JSON.parse(text);
    } catch {
      return null;
    }
  } else if (type === "mutation") return null;
  if (batch && inputs !== undefined && !isObject(inputs)) return null;

  return {
    batch,
    calls: paths.map((at, index) => ({
      path: at,
      type,
      sent: batch ? (inputs as Record<number, unknown> | undefined)?.[index] : inputs,
    })),
  };
}

/** Runs the calls with one context, as resolveResponse does, and writes their answers. */
export async function answerPlainRequest<TRouter extends AnyTRPCRouter>(
  router: TRouter,
  { batch, calls }: PlainRequest,
  createContext: () => inferRouterContext<TRouter>,
  onError: (failure: { error: TRPCError; path: string }) => void,
): Promise<PlainAnswer> {
  const config = router._def._config;
  let ctx: inferRouterContext<TRouter> | undefined;
  let contextError: TRPCError | undefined;
  try {
    ctx = createContext();
  } catch (cause) {
    contextError = getTRPCErrorFromUnknown(cause);
  }
  // As tRPC reads inputs: all of them at the first call's first read, a failure being every call's BAD_REQUEST.
  let inputs: unknown[] | undefined;
  let inputError: TRPCError | undefined;
  const readInputs = (): unknown[] => {
    if (inputError) throw inputError;
    try {
      inputs ??= calls.map(({ sent }) => (sent === undefined ? undefined : config.transformer.input.deserialize(sent)));
    } catch (cause) {
      inputError = new TRPCError({
        code: "BAD_REQUEST",
        message: cause instanceof Error ? cause.message : "Invalid input",
        cause,
      });
      throw inputError;
    }
    return inputs;
  };
  const answers = await Promise.all(
    calls.map(async ({ path, type }, batchIndex) => {
      try {
        if (contextError) throw contextError;
        const data = await callTRPCProcedure({
          router,
          path,
          type,
          ctx,
          batchIndex,
          // No query or mutation reads its signal; the subscription, which does, goes through resolveResponse.
          signal: undefined,
          getRawInput: async () => readInputs()[batchIndex],
        });
        if (isDataStream(data)) {
          throw new TRPCError({
            code: "UNSUPPORTED_MEDIA_TYPE",
            message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
          });
        }
        return { result: { data } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        onError({ error, path });
        const input = inputs?.[batchIndex];
        return { error: getTRPCErrorShape({ config, ctx, error, input, path, type }) };
      }
    }),
  );
  const json = batch ? answers : answers[0];
  return {
    status: getHTTPStatusCode(answers),
    body: JSON.stringify(transformTRPCResponse(config, json as never)),
    contentType: "application/json",
    vary: "trpc-accept, accept",
  };
}

/** An object, not an array: tRPC's isObject. */
const isObject = (value: unknown): value is object =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isAsyncIterable = (value: unknown) => isObject(value) && Symbol.asyncIterator in value;
const isPromise = (value: unknown) =>
  (isObject(value) || typeof value === "function") &&
  typeof (value as { then?: unknown }).then === "function" &&
  typeof (value as { catch?: unknown }).catch === "function";

/** resolveResponse's test for an answer only a stream can carry: an async iterable, or promises or iterables in it. */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isAsyncIterable(value)) return true;
  const items = Object.values(value);
  return items.some(isPromise) || items.some(isAsyncIterable);
}
