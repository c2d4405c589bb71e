// What the vitest global setup hands every test file (through provide / inject).

export const TEMPLATE_DATABASE = "chairside_template";

export interface TestServer {
  /** URL of the server's `postgres` database, for creating and dropping test databases. */
  serverUrl: string;
  template: string;
  /** The throwaway cluster's data folder, for tests that stop and start PostgreSQL. */
  dataDir: string | null;
}

declare module "vitest" {
  interface ProvidedContext {
    chairsideTestServer: TestServer;
  }
}
