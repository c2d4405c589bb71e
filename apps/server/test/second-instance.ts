// Another server instance on a test API's database: its own ORM, session cache and sign-in throttle, as a second
// process behind the same load balancer would have.
import type { ChairsideOrm } from "@chairside/db";
import { appRouter } from "../src/routers/root.ts";
import { closeServices, createServices, type ServiceOptions } from "../src/services.ts";
import { createContextInner, type Services } from "../src/trpc/context.ts";
import { createCallerFactory } from "../src/trpc/trpc.ts";
import type { Caller, TestApi } from "./harness.ts";

export interface Instance {
  orm: ChairsideOrm;
  services: Services;
  /** A caller for a raw token (null: signed out), from `clientAddress` (default 127.0.0.1). */
  withToken(token: string | null, clientAddress?: string): Caller;
  close(): Promise<void>;
}

const callerFactory = createCallerFactory(appRouter);

export async function startAnotherInstance(api: TestApi, options: ServiceOptions = {}): Promise<Instance> {
  const orm = await api.db.orm();
  const services = await createServices(orm, {
    secret: "a test secret that is long enough to sign cursors",
    ...options,
  });
  return {
    orm,
    services,
    withToken: (token, clientAddress = "127.0.0.1") =>
      callerFactory(() => createContextInner({ services, token, clientAddress })),
    close: async () => {
      await closeServices(services, 1_000);
    },
  };
}

/** Resolves once `check` holds, trying every 25 ms; fails when it still does not after `withinMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, withinMs = 1_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: still not so after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
