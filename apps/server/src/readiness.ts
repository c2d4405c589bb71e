// Readiness for a load balancer: which databases answer, within a bound. An instance is ready while the primary
// answers, and still serves reads ("degraded") while only a replica does; with none, 503.
import type { DatabaseStatus } from "@chairside/db";
import type { Services } from "./trpc/context.ts";

/** How long readiness waits for the databases before calling them down, so a probe never hangs. */
const READINESS_TIMEOUT_MS = 2_000;

export interface Readiness {
  httpStatus: 200 | 503;
  body: {
    status: "ready" | "degraded" | "unavailable";
    reason?: string;
    databases: Pick<DatabaseStatus, "name" | "role" | "status" | "lagMs" | "reads">[];
  };
}

function within<T>(work: Promise<T>, fallback: T): Promise<T> {
  return Promise.race([
    work.catch(() => fallback),
    new Promise<T>((resolve) => setTimeout(() => resolve(fallback), READINESS_TIMEOUT_MS).unref()),
  ]);
}

export async function readiness(services: Pick<Services, "orm" | "replicas">): Promise<Readiness> {
  const databases: Readiness["body"]["databases"] = services.replicas
    ? await within(services.replicas.probe(), services.replicas.status)
    : [
        {
          name: "primary",
          role: "primary",
          status: (await within(
            services.orm.em
              .getConnection()
              .execute("select 1")
              .then(() => true),
            false,
          ))
            ? "up"
            : "down",
          lagMs: null,
          reads: 0,
        },
      ];
  const primaryUp = databases.some((database) => database.role === "primary" && database.status === "up");
  const replicaUp = databases.some((database) => database.role === "replica" && database.status !== "down");
  if (primaryUp) return { httpStatus: 200, body: { status: "ready", databases } };
  if (replicaUp)
    return {
      httpStatus: 200,
      body: { status: "degraded", reason: "the primary is unreachable: reads only", databases },
    };
  return { httpStatus: 503, body: { status: "unavailable", reason: "database unreachable", databases } };
}
