// The Fastify host: the tRPC API under /trpc, and health and readiness for a load balancer.
import fastifyCookie from "@fastify/cookie";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { type AppRouter, appRouter } from "./routers/root.ts";
import { contextFactory, type Services } from "./trpc/context.ts";

export interface AppOptions {
  services: Services;
  logger?: boolean;
}

/** How long readiness waits for the database before calling it down, so a probe never hangs. */
const READINESS_TIMEOUT_MS = 2_000;

export async function buildApp({ services, logger = false }: AppOptions): Promise<FastifyInstance> {
  // Batched GET requests carry their input in the URL.
  const app = Fastify({ logger, routerOptions: { maxParamLength: 5_000 } });
  await app.register(fastifyCookie);
  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: contextFactory(services),
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR")
          app.log.error({ err: error.cause ?? error, path }, "procedure failed");
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  // Liveness: the process answers. It says nothing of the database, so a database outage does not get
  // every instance restarted.
  app.get("/health", async () => ({ status: "ok" }));

  // Readiness: the database answers, within a bound.
  app.get("/ready", async (_request, reply) => {
    try {
      await Promise.race([
        services.orm.em.getConnection().execute("select 1"),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), READINESS_TIMEOUT_MS).unref()),
      ]);
      return { status: "ready" };
    } catch {
      return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
    }
  });

  return app;
}
