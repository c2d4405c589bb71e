// The query cache every screen shares: no retries of refusals, and an ended session sends the user to login.
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { getMutationKey, getQueryKey } from "@trpc/react-query";
import { errorCode, isPermanent } from "./api-errors.ts";
import { trpc } from "./trpc.ts";

const MAX_RETRIES = 2;

/** Whether a cache key belongs to a procedure (keys start with the procedure's path, e.g. ["auth","me"]). */
const sameProcedure = (key: readonly unknown[] | undefined, procedureKey: readonly unknown[]) =>
  key !== undefined && JSON.stringify(key[0]) === JSON.stringify(procedureKey[0]);

export function createQueryClient(): QueryClient {
  const sessionKey = getQueryKey(trpc.auth.me);
  const loginKey = getMutationKey(trpc.auth.login);
  // Any other UNAUTHORIZED means the session expired or was revoked: asking auth.me again then shows the login.
  // Without a session known yet (the first open asks for the list beside the session check) there is nothing
  // to re-check: the check's own answer decides.
  const onError = (error: unknown, key: readonly unknown[] | undefined) => {
    if (errorCode(error) !== "UNAUTHORIZED" || sameProcedure(key, sessionKey) || sameProcedure(key, loginKey)) return;
    if (!client.getQueriesData({ queryKey: sessionKey }).some(([, session]) => session !== undefined)) return;
    void client.invalidateQueries({ queryKey: sessionKey });
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => onError(error, mutation.options.mutationKey),
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => !isPermanent(error) && failures < MAX_RETRIES,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
