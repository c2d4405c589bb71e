// A query procedure runs on the database its route names (a replica, or the primary after the caller's own write),
// and once more on another database when that one does not answer: a replica stopped mid-traffic, or the primary
// down while a replica can serve. Its audit entries are those of the attempt that succeeded.
import { isConnectionFailure } from "@chairside/db";
import type { Context } from "./context.ts";

type Outcome = { ok: true } | { ok: false; error: Error };

export async function onReadRoute<R extends Outcome>(
  ctx: Pick<Context, "replicas" | "readYourWrites">,
  read: () => Promise<R>,
): Promise<R> {
  const replicas = ctx.replicas;
  if (!replicas) return read();
  const tried = new Set<string>();
  let route = replicas.route(ctx.readYourWrites.last);
  for (;;) {
    tried.add(route.database);
    const result = await replicas.reading(route, read);
    if (result.ok || !isConnectionFailure(result.error.cause ?? result.error)) return result;
    replicas.unreachable(route);
    route = replicas.route(ctx.readYourWrites.last);
    if (tried.has(route.database)) return result;
  }
}
