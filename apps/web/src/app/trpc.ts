// The typed API: React hooks generated from the server's router type. Only types cross from the server;
// the session rides on the HttpOnly cookie of this same origin, so the SPA never handles a token.
import type { AppRouter, RouterInputs, RouterOutputs } from "@chairside/server";
import { httpBatchLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import superjson from "superjson";

export const trpc = createTRPCReact<AppRouter>();

export function createApiClient() {
  return trpc.createClient({
    // Batched GETs carry their input in the URL; past this length the batch is split.
    links: [httpBatchLink({ url: "/trpc", transformer: superjson, maxURLLength: 4_000 })],
  });
}

export type { RouterInputs, RouterOutputs };
