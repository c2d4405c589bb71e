// The first open asks at once, beside the session check, for everything its first paint shows: the rows need
// not wait for the check's answer and the shell's render. For a signed-out browser every part of it
// is refused (UNAUTHORIZED) and shown nowhere: only a signed-in session renders the list, and signing in
// clears whatever the cache held.
import type { AppRouter } from "@chairside/server";
import type { QueryClient } from "@tanstack/react-query";
import { createTRPCQueryUtils } from "@trpc/react-query";
import { patientCountsInput, patientListInput } from "../features/patients-list/use-patient-list.ts";
import { parsePatientsView } from "./patients-view.ts";
import type { ApiClient } from "./trpc.ts";

export function askForFirstOpen(queryClient: QueryClient, client: ApiClient, search: string): void {
  const utils = createTRPCQueryUtils<AppRouter>({ queryClient, client });
  const view = parsePatientsView(search);
  void utils.auth.me.prefetch();
  void utils.patients.list.prefetchInfinite(patientListInput(view));
  void utils.patients.counts.prefetch(patientCountsInput(view));
  void utils.clinics.list.prefetch();
  if (view.patientId !== undefined) void utils.patients.byId.prefetch({ id: view.patientId });
}
