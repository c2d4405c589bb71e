// The real Chairside server (apps/server/src/main.ts) in production mode against a data set, and the
// naive version's server against its copy, and the bare HTTP route for reference: children of the bench,
// on 127.0.0.1.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { WireQuery } from "./in-process.ts";
import { type ServerProcess, startServerProcess } from "./processes.ts";

const ROOT = join(import.meta.dirname, "..", "..");

export function startChairside(databaseUrl: string, secret: string): Promise<ServerProcess> {
  return startServerProcess(
    join(ROOT, "apps", "server", "src", "main.ts"),
    {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      CHAIRSIDE_SECRET: secret,
      SEED_DEMO_DATA: "false",
      PORT: "0",
      HOST: "127.0.0.1",
    },
    /serving on (http:\/\/[\d.:]+)/,
    "the Chairside server",
  );
}

export function startNaive(databaseUrl: string): Promise<ServerProcess> {
  return startServerProcess(
    join(import.meta.dirname, "naive-server.ts"),
    { NODE_ENV: "production", DATABASE_URL: databaseUrl },
    /serving on (http:\/\/[\d.:]+)/,
    "the naive server",
  );
}

/** The bare HTTP route (bare-server.ts) serving `queries` at GET /<key>. */
export function startBare(databaseUrl: string, queries: Record<string, WireQuery>): Promise<ServerProcess> {
  return startServerProcess(
    join(import.meta.dirname, "bare-server.ts"),
    { NODE_ENV: "production", DATABASE_URL: databaseUrl, BARE_QUERIES: JSON.stringify(queries) },
    /serving on (http:\/\/[\d.:]+)/,
    "the bare HTTP route",
  );
}

/** A cursor-sealing secret for this run: the in-process API and the server share it, so cursors travel. */
export const newSecret = () => randomBytes(32).toString("hex");
