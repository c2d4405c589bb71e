// The Fastify host: the tRPC API under /trpc, and health and readiness for a load balancer.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import fastifyCompress, { type FastifyCompressOptions } from "@fastify/compress";
import fastifyCookie from "@fastify/cookie";
import fastifyCors from "@fastify/cors";
import fastifyHelmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import Fastify, { type FastifyInstance } from "fastify";
import { recallCsvRoute } from "./export/recall-csv.ts";
import { logServerError, newRequestId, ServerErrorLog } from "./log.ts";
import { readiness } from "./readiness.ts";
import { appRouter } from "./routers/root.ts";
import { contextFactory, credentialOf, type Services } from "./trpc/context.ts";
import { type AnswerCompression, trpcRoutes } from "./trpc/http.ts";
import { MAX_BATCH_SIZE, WRITTEN_HEADER } from "./trpc/limits.ts";

export interface AppOptions {
  services: Services;
  /** The built SPA to serve beside the API; by default apps/web/dist when it has been built. */
  webRoot?: string | null;
  /** Other services' browser origins allowed to call the API (bearer tokens only; never cookies). */
  corsOrigins?: readonly string[];
}

/** No procedure needs more: the largest input is a patient's notes (5,000 characters). */
const BODY_LIMIT_BYTES = 64 * 1024;

const COMPRESSION = { threshold: 1_024, encodings: ["br", "gzip"] } satisfies FastifyCompressOptions;

/**
 * API answers are compressed for speed: brotli at quality 1, a little larger than the plugin's default quality
 * but several times cheaper to make, in one call for any answer the API gives rather than through a zlib stream
 * per response (trpc/http.ts; BENCHMARKS.md has the figures).
 */
const API_COMPRESSION = {
  threshold: COMPRESSION.threshold,
  brotliQuality: 1,
  gzipLevel: zlib.constants.Z_DEFAULT_COMPRESSION,
} satisfies AnswerCompression;

const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../../web/dist", import.meta.url));

export async function buildApp({ services, webRoot, corsOrigins = [] }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.log,
    logController: new ServerErrorLog(),
    genReqId: newRequestId,
    bodyLimit: BODY_LIMIT_BYTES,
    // Batched GET requests carry their input in the URL.
    routerOptions: { maxParamLength: 5_000 },
  });
  // First of all hooks, so that every answer carries it, refusals included.
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // Helmet's defaults: scripts, styles and everything else from our own origin only.
  await app.register(fastifyHelmet);
  // Services in a browser read the position of their last write, to send it back (read-your-writes.ts).
  await app.register(fastifyCors, { origin: [...corsOrigins], credentials: false, exposedHeaders: [WRITTEN_HEADER] });
  finishConnectionsOnClose(app);
  await app.register(fastifyCompress, COMPRESSION);
  await app.register(fastifyCookie);
  // After the cookie plugin: the check reads the parsed cookie, as the context does.
  refuseCrossSiteCookieWrites(app);
  await app.register(
    trpcRoutes({
      router: appRouter,
      createContext: contextFactory(services),
      compress: API_COMPRESSION,
      maxBatchSize: MAX_BATCH_SIZE,
      onError({ error, path, request }) {
        const status = getHTTPStatusCodeFromError(error);
        if (status >= 500)
          logServerError(request, status, error.cause ?? error, error.message, { procedure: path, code: error.code });
      },
    }),
    { prefix: "/trpc" },
  );

  // Downloads that stream through the same procedures, policy and audit trail as the API.
  await app.register(recallCsvRoute(services));

  // Liveness: the process answers. It says nothing of the database, so a database outage does not get
  // every instance restarted.
  app.get("/health", async () => ({ status: "ok" }));

  // Readiness: which databases answer, within a bound (readiness.ts).
  app.get("/ready", async (request, reply) => {
    const { httpStatus, body } = await readiness(services);
    if (httpStatus === 503) logServerError(request, 503, undefined, "readiness: the database did not answer");
    return reply.code(httpStatus).send(body);
  });

  const spa =
    webRoot === undefined ? (existsSync(`${DEFAULT_WEB_ROOT}/index.html`) ? DEFAULT_WEB_ROOT : null) : webRoot;
  if (spa) await serveSpa(app, spa);
  return app;
}

/**
 * Shutdown: answers still in flight when closing begins carry `connection: close`, so their keep-alive sockets
 * end with them; otherwise `close()` would wait out the keep-alive timeout of every client that was busy.
 */
function finishConnectionsOnClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });
}

/**
 * CSRF: the session cookie is SameSite=Strict already; on top of that, a state-changing request that
 * authenticates with the cookie must come from our own origin. Services use bearer tokens, which a
 * browser never attaches by itself, so they are not concerned. Which one a request uses is decided by
 * credentialOf, the rule the context follows, not by whether some Authorization header is present.
 */
function refuseCrossSiteCookieWrites(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
    if (credentialOf(request)?.via !== "cookie") return;
    const site = request.headers["sec-fetch-site"];
    const origin = request.headers.origin;
    // "null" and other unparseable origins count as foreign.
    const sameOrigin = origin === undefined || (URL.canParse(origin) && new URL(origin).host === request.headers.host);
    if ((site && site !== "same-origin" && site !== "none") || !sameOrigin) {
      return reply.code(403).send({ error: "cross-site request refused" });
    }
  });
}

/** Source maps stay on the server: they would hand anyone the SPA's whole source. */
const isSourceMap = (path: string) => path.toLowerCase().endsWith(".map");

/** The built SPA from the same port as the API; any other GET that wants a page gets index.html (client routes). */
async function serveSpa(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: "index.html",
    allowedPath: (path) => !isSourceMap(path),
    // Built assets have content hashes in their names; index.html must be re-checked so a deploy takes effect.
    setHeaders: (response, path) =>
      response.header(
        "cache-control",
        path.endsWith("index.html") ? "no-cache" : "public, max-age=31536000, immutable",
      ),
  });
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === "GET" &&
      !request.url.startsWith("/trpc") &&
      !isSourceMap(request.url.split("?")[0] ?? "") &&
      request.headers.accept?.includes("text/html");
    if (wantsPage) return reply.header("cache-control", "no-cache").sendFile("index.html");
    return reply.code(404).send({ error: "not found" });
  });
}
