// What the web tests' global setup hands every test file (through provide / inject).

export interface WebTestSetup {
  /** The production build of the SPA, made once for the run. */
  webRoot: string;
  /** The seeded practice's "today" (YYYY-MM-DD, UTC): the server's clock runs on real time, so the same day. */
  seedToday: string;
  /** How many patients the practice has. */
  patients: number;
}

declare module "vitest" {
  interface ProvidedContext {
    chairsideWeb: WebTestSetup;
  }
}
