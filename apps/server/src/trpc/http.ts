// tRPC on Fastify: what @trpc/server's Fastify adapter does, minus three costs that showed in a profile of the
// server under pnpm bench's first-page load. Kept because it pays against the stock adapter, measured side by
// side (BENCHMARKS.md, "Stock tRPC plumbing or ours" and "tRPC's calls without the fetch objects"):
// - Plain calls (queries, mutations with a JSON body, one or a batch: nearly every request) skip the fetch
//   Request and Response that resolveResponse works on (plain-calls.ts); it answers the rest.
// - The adapter hands Fastify tRPC's fetch Response, whose body then goes through web and Node streams and
//   a streaming compressor. Our answers are small JSON documents (a streamed batch is sent whole), so the body
//   is read whole and compressed in one synchronous call of zlib's, with the encoding negotiated as
//   @fastify/compress does. Answers are small, and zlib's asynchronous call (a stream, a hand-off to libuv's
//   threads) costs the event loop more than compressing them there does. A subscription's server-sent events
//   are the one stream: sent as it comes, uncompressed.
// - It aborts every request's signal when its socket closes, finished or not, creating an AbortError each
//   time. Here the signal is aborted only when the client leaves before its answer was sent.

import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import zlib from "node:zlib";
import { negotiate } from "@fastify/accept-negotiator";
import type { AnyTRPCRouter, inferRouterContext, TRPCError } from "@trpc/server";
import { createURL } from "@trpc/server/adapters/node-http";
import { resolveResponse } from "@trpc/server/http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { answerPlainRequest, plainRequest } from "./plain-calls.ts";

export interface TrpcRouteOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  createContext(request: FastifyRequest, reply: FastifyReply): inferRouterContext<TRouter>;
  /** Told of every failed call, with the HTTP request it came in (a batch may hold several). */
  onError?(failure: { error: TRPCError; path: string | undefined; request: FastifyRequest }): void;
  /** How the answers are compressed; uncompressed without. */
  compress?: AnswerCompression;
  /** Calls one batched request may hold; a larger batch is a BAD_REQUEST before any of it runs. */
  maxBatchSize?: number;
}

/** Answers of `threshold` bytes or more go as brotli or gzip, whichever the client takes first (brotli on a tie). */
export interface AnswerCompression {
  threshold: number;
  brotliQuality: number;
  gzipLevel: number;
}

const ENCODINGS = ["br", "gzip"] as const;

/** Serves `router` at `/<prefix>/<procedure path>` (GET queries, POST mutations, batches). */
export function trpcRoutes<TRouter extends AnyTRPCRouter>(
  options: TrpcRouteOptions<TRouter>,
): (scope: FastifyInstance) => Promise<void> {
  return async (scope) => {
    // Open event streams end when the server closes, or they would hold its shutdown forever; the client's
    // link reconnects (to another instance) with its last event id.
    const streams = new Set<AbortController>();
    scope.addHook("preClose", async () => {
      for (const stream of streams) stream.abort();
    });
    // tRPC parses request bodies itself (its transformer, its errors); Fastify hands them over as text.
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => done(null, body));

    // The answers are compressed here (see above); @fastify/compress, registered for the rest, leaves them be.
    scope.all<{ Params: { path: string } }>("/:path", { compress: false }, async (request, reply) => {
      const plain = plainRequest(options.router, request, options.maxBatchSize);
      if (plain) {
        const answer = await answerPlainRequest(
          options.router,
          plain,
          () => options.createContext(request, reply),
          ({ error, path }) => options.onError?.({ error, path, request }),
        );
        reply.code(answer.status).header("content-type", answer.contentType);
        addVary(reply, answer.vary);
        const body = Buffer.from(answer.body);
        return reply.send(options.compress ? compressed(body, request, reply, options.compress) : body);
      }
      const aborts = new AbortController();
      const response = await resolveResponse({
        router: options.router,
        req: toFetchRequest(request, reply, aborts),
        path: request.params.path,
        error: null,
        createContext: async () => options.createContext(request, reply),
        onError: ({ error, path }) => options.onError?.({ error, path, request }),
        maxBatchSize: options.maxBatchSize,
      });
      reply.code(response.status);
      response.headers.forEach((value, name) => {
        // A streamed batch's (httpBatchStreamLink) is sent whole below, with its length: how it is framed is
        // Node's to say, and both headers at once is no HTTP at all.
        if (name === "vary") addVary(reply, value);
        else if (name !== "transfer-encoding") reply.header(name, value);
      });
      if (response.body && response.headers.get("content-type")?.startsWith("text/event-stream")) {
        streams.add(aborts);
        reply.raw.once("close", () => streams.delete(aborts));
        return reply.send(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>));
      }
      const body = Buffer.from(await response.arrayBuffer());
      return reply.send(options.compress ? compressed(body, request, reply, options.compress) : body);
    });
  };
}

function toFetchRequest(request: FastifyRequest, reply: FastifyReply, aborts: AbortController): Request {
  const onClose = () => {
    if (!reply.raw.writableFinished) aborts.abort();
  };
  reply.raw.once("close", onClose);

  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith(":") || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.append(name, value);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(createURL(request.raw), {
    method: request.method,
    headers,
    signal: aborts.signal,
    body: hasBody && typeof request.body === "string" ? request.body : undefined,
  });
}

function compressed(body: Buffer, request: FastifyRequest, reply: FastifyReply, settings: AnswerCompression): Buffer {
  if (body.length < settings.threshold) return body;
  addVary(reply, "accept-encoding");
  const accepted = request.headers["accept-encoding"];
  const encoding = accepted ? negotiate(accepted, [...ENCODINGS]) : null;
  if (!encoding) return body;
  reply.header("content-encoding", encoding);
  if (encoding === "gzip") return zlib.gzipSync(body, { level: settings.gzipLevel });
  return zlib.brotliCompressSync(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: settings.brotliQuality,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

/** Vary lists what each part of the answer depends on: the origin (CORS), tRPC's accept headers, the encoding. */
function addVary(reply: FastifyReply, value: string): void {
  const before = reply.getHeader("vary");
  reply.header("vary", before ? `${before}, ${value}` : value);
}
