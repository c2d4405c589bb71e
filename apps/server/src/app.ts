// The Fastify host: health and readiness for a load balancer (the tRPC router mounts here next).
import type { ChairsideOrm } from "@chairside/db";
import Fastify, { type FastifyInstance } from "fastify";

export interface AppOptions {
  orm: ChairsideOrm;
  logger?: boolean;
}

/** How long readiness waits for the database before calling it down, so a probe never hangs. */
const READINESS_TIMEOUT_MS = 2_000;

export function buildApp({ orm, logger = false }: AppOptions): FastifyInstance {
  const app = Fastify({ logger });

  // Liveness: the process answers. It says nothing of the database, so a database outage does not get
  // every instance restarted.
  app.get("/health", async () => ({ status: "ok" }));

  // Readiness: the database answers, within a bound.
  app.get("/ready", async (_request, reply) => {
    try {
      await Promise.race([
        orm.em.getConnection().execute("select 1"),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), READINESS_TIMEOUT_MS).unref()),
      ]);
      return { status: "ready" };
    } catch {
      return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
    }
  });

  return app;
}
