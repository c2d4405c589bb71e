// Connecting to the Chairside API: a typed tRPC client over HTTP (batched, superjson), signed in with a
// bearer token. Only the router's types and its request limits come from the server; none of its code runs here.
import type { AppRouter, RouterOutputs } from "@chairside/server";
import { MAX_BATCH_SIZE, WRITTEN_HEADER } from "@chairside/server/limits";
import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client";
import superjson from "superjson";

export type ChairsideClient = TRPCClient<AppRouter>;

// Optional options take an explicit undefined too, for callers compiled with exactOptionalPropertyTypes.
export interface ChairsideClientOptions {
  /** The server's base URL (`https://chairside.example.org`); the API lives under `/trpc` below it. */
  url: string | URL;
  /** A session token from `auth.login({ issueToken: true })`, sent as `Authorization: Bearer <token>`. */
  token?: string | null | undefined;
  /** Replaces the global fetch (to count, log or proxy requests). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Extra headers on every request (a request id, say). The token's Authorization wins over one given here. */
  headers?: Record<string, string> | undefined;
}

/**
 * Batched GETs carry their input in the URL; past this length the link splits a batch, well under what
 * Node's HTTP parser accepts for a request line and headers (16 KiB).
 */
const MAX_URL_LENGTH = 8_000;

/** Where the API answers below a server's base URL. Throws a TypeError for anything but an http(s) URL. */
export function apiUrl(base: string | URL): string {
  const url = new URL(base);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`the server URL must be http or https, not ${url.protocol}`);
  }
  if (url.search || url.hash) throw new TypeError("the server URL takes no query or fragment");
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/trpc`;
  return url.toString();
}

/**
 * Sends back the position of this client's last write with every request, as the SPA's cookie does: the server may
 * serve reads from replicas, and this keeps the client's own saves in what it reads next, on any instance.
 */
function sendingBackWrites(send: typeof globalThis.fetch): typeof globalThis.fetch {
  let written: string | null = null;
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (written) headers.set(WRITTEN_HEADER, written);
    const response = await send(input, { ...init, headers });
    written = response.headers.get(WRITTEN_HEADER) ?? written;
    return response;
  };
}

export function createChairsideClient(options: ChairsideClientOptions): ChairsideClient {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const fixedHeaders = Object.fromEntries(headers);
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: apiUrl(options.url),
        transformer: superjson,
        maxURLLength: MAX_URL_LENGTH,
        // More calls than the server takes in one request go out as several requests.
        maxItems: MAX_BATCH_SIZE,
        headers: fixedHeaders,
        fetch: sendingBackWrites(options.fetch ?? ((input, init) => globalThis.fetch(input, init))),
      }),
    ],
  });
}

type LoginOutput = RouterOutputs["auth"]["login"];

export interface SignInOptions extends Omit<ChairsideClientOptions, "token"> {
  email: string;
  password: string;
}

export interface SignedIn {
  /** A client that sends the new session's token with every call. */
  client: ChairsideClient;
  /** The session token, for `createChairsideClient({ token })` later; valid until `expiresAt` or `auth.logout`. */
  token: string;
  staff: LoginOutput["staff"];
  expiresAt: LoginOutput["expiresAt"];
}

/** Signs in with a staff member's email and password; a wrong pair rejects with an UNAUTHORIZED error. */
export async function signIn({ email, password, ...connection }: SignInOptions): Promise<SignedIn> {
  const anonymous = createChairsideClient(connection);
  const { token, staff, expiresAt } = await anonymous.auth.login.mutate({ email, password, issueToken: true });
  // The server always returns the token when asked to; a null here means another server answered.
  if (!token) throw new Error("the server signed in but returned no token; is this a Chairside server?");
  return { client: createChairsideClient({ ...connection, token }), token, staff, expiresAt };
}
