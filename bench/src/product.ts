// The product's internals the bench drives in-process, gathered in one place. The packages' export maps do
// not expose them (the server exports types only), so they are reached by path; if they move, only this
// file changes.

export { appRouter } from "../../apps/server/src/routers/root.ts";
export { closeServices, createServices } from "../../apps/server/src/services.ts";
export { createContextInner, type Services } from "../../apps/server/src/trpc/context.ts";
export { createCallerFactory } from "../../apps/server/src/trpc/trpc.ts";
export { ensureDatabase, withDatabase } from "../../packages/db/src/postgres/database.ts";
export { startEmbeddedPostgres } from "../../packages/db/src/postgres/embedded.ts";

/** The demo owner (every clinic): the bench lists patients as the person who sees the most of them. */
export const OWNER = { email: "owner@chairside.test", password: "chairside-demo" } as const;
