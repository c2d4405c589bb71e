// The first open asks at once, beside the session check, for everything its first paint shows: the rows need
// not wait for the check's answer and the shell's render. For a signed-out browser every part of it
// is refused (UNAUTHORIZED) and shown nowhere: only a signed-in session renders the list, and signing in
// clears whatever the cache held.
import type { AppRouter } from "@chairside/server";
import { createTRPCQueryUtils } from "@trpc/react-query";
import { patientCountsInput, patientListInput } from "../features/patients-list/use-patient-list.ts";
import type { ApiClients } from "./Providers.tsx";
import { parsePatientsView } from "./patients-view.ts";
import { createQueryClient } from "./query-client.ts";
import { createApiClient } from "./trpc.ts";

/** The page's API client and query cache, with the first open's requests already sent for `search` (the URL's). */
export function startFirstOpen(search: string): ApiClients {
  const queryClient = createQueryClient();
  const apiClient = createApiClient();
  const utils = createTRPCQueryUtils<AppRouter>({ queryClient, client: apiClient });
  const view = parsePatientsView(search);
  // Unbatched, the page is on its way before the session check is even sent.
  void utils.patients.list.prefetchInfinite(patientListInput(view), { trpc: { context: { skipBatch: true } } });
  void utils.auth.me.prefetch();
  void utils.patients.counts.prefetch(patientCountsInput(view));
  void utils.clinics.list.prefetch();
  if (view.patientId !== undefined) void utils.patients.byId.prefetch({ id: view.patientId });
  return { queryClient, apiClient };
}
