// The API client and the query cache (created once per page load, in app/first-open.ts) for every component. A
// query nobody shows any more (the search typed past, the record closed) aborts its request: react-query cancels
// it, and tRPC passes the signal to the link.
import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { type ApiClient, trpc } from "./trpc.ts";

export interface ApiClients {
  queryClient: QueryClient;
  apiClient: ApiClient;
}

export function Providers({ queryClient, apiClient, children }: ApiClients & { children: ReactNode }) {
  return (
    <trpc.Provider client={apiClient} queryClient={queryClient} abortOnUnmount>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
