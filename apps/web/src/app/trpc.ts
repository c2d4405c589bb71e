// The typed API: React hooks generated from the server's router type. Only types cross from the server;
// the session rides on the HttpOnly cookie of this same origin, so the SPA never handles a token.
import type { AppRouter, RouterInputs, RouterOutputs } from "@chairside/server";
import { MAX_BATCH_SIZE } from "@chairside/server/limits";
import { httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import superjson from "superjson";

export const trpc = createTRPCReact<AppRouter>();

/** `url` and `fetch` are for tests that talk to the API from outside a page. */
export function createApiClient({ url = "/trpc", fetch }: { url?: string; fetch?: typeof globalThis.fetch } = {}) {
  return trpc.createClient({
    links: [
      splitLink({
        // Subscriptions (other desks' changes) as server-sent events, which reconnect with their last event id.
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url, transformer: superjson }),
        false: splitLink({
          // The session check decides what the screen shows: it never waits in a batch for slower calls. Nor does
          // the first open's first page, which leaves before it (first-open.ts).
          condition: (op) => op.path === "auth.me" || op.context.skipBatch === true,
          true: httpLink({ url, transformer: superjson, fetch }),
          // Batched GETs carry their input in the URL; past this length, or more calls than the server takes in
          // one request, the batch is split.
          false: httpBatchLink({ url, transformer: superjson, maxURLLength: 4_000, maxItems: MAX_BATCH_SIZE, fetch }),
        }),
      }),
    ],
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;
export type { RouterInputs, RouterOutputs };
