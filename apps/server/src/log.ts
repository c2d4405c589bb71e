// The server's log: Fastify's own logger (pino), one JSON line per event. A request that ends well writes
// nothing; every 5xx writes one line, with the request id that the answer carries in its `x-request-id` header
// (and a 500 in its message), so that staff can quote it.
import { randomBytes } from "node:crypto";
import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from "fastify";
import { type DestinationStream, pino } from "pino";

/** A pino logger, typed as Fastify takes it. */
export type ServerLog = FastifyBaseLogger;

/** The log of a running server: problems only (warn and up); tests pass a stream to read its lines. */
export function createServerLog(stream?: DestinationStream): ServerLog {
  return pino({ level: "warn" }, stream);
}

/** A log that writes nothing: in-process callers and tests that do not read it. */
export function silentLog(): ServerLog {
  return pino({ level: "silent" });
}

/** Short enough to read out over the phone, random enough never to repeat in a clinic's logs. */
export function newRequestId(): string {
  return randomBytes(6).toString("hex");
}

const logged = new WeakSet<FastifyRequest>();

/**
 * Writes the one line of a request whose answer is a 5xx, at the moment that is decided (before the answer
 * leaves). The URL goes without its query string: a tRPC query carries its input there, and a patient search
 * must not end up in a log.
 */
export function logServerError(
  request: FastifyRequest,
  statusCode: number,
  error: unknown,
  message: string,
  fields: Record<string, unknown> = {},
): void {
  logged.add(request);
  request.log.error(
    { method: request.method, url: request.url.split("?")[0], statusCode, ...fields, err: error },
    message,
  );
}

/** Fastify's own per-request lines, cut down to the one of each 5xx answer. */
export class ServerErrorLog extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  /** Fastify answers 503 by itself to requests that arrive while it closes; as a warning, so that it shows. */
  override serviceUnavailable(logger: FastifyBaseLogger): void {
    logger.warn({ statusCode: 503 }, "refused a request: the server is shutting down");
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) logServerError(request, reply.statusCode, error, error.message);
  }

  /** Any other 5xx, from code that answered one without saying why. */
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode < 500 || logged.has(request)) return;
    logServerError(request, reply.statusCode, error ?? undefined, error?.message ?? "answered with a server error");
  }
}
