// @chairside/client: a typed client for the Chairside API, for services and scripts.
export type { AppRouter, RouterInputs, RouterOutputs } from "@chairside/server";
export {
  apiUrl,
  type ChairsideClient,
  type ChairsideClientOptions,
  createChairsideClient,
  type SignedIn,
  type SignInOptions,
  signIn,
} from "./client.ts";
export {
  type ChairsideClientError,
  type ChairsideErrorCode,
  type ChairsideErrorInfo,
  isChairsideError,
  readChairsideError,
} from "./errors.ts";
export { allPages, listAllPatients, type Page, type PatientListFilters, type PatientListItem } from "./pages.ts";
