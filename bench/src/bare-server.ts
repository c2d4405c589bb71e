// A reference, not a product: the list's exact SQL behind the barest HTTP route (node:http, pg with the
// server's pool size, JSON.stringify of the rows), with nothing else Chairside does per request: no tRPC, no
// input validation, no session, no audit trail, no rules, no cursor, no compression. What any HTTP server
// could at best serve for this query on this machine, beside the ceiling (no HTTP at all).
// Env: DATABASE_URL; BARE_QUERIES, a JSON object of WireQuery by path (GET /first, GET /search).
import { createServer } from "node:http";
import pg from "pg";
import { SERVER_POOL_SIZE } from "./ceiling.ts";
import type { WireQuery } from "./in-process.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("bare server: DATABASE_URL is required");
const queries = JSON.parse(process.env.BARE_QUERIES ?? "{}") as Record<string, WireQuery>;
const pool = new pg.Pool({ connectionString: url, max: SERVER_POOL_SIZE });
pool.on("error", () => {});

const server = createServer((request, response) => {
  const key = (request.url ?? "/").slice(1);
  const query = queries[key];
  if (!query) {
    response.writeHead(404).end();
    return;
  }
  // Prepared or planned per call, as Chairside sends it.
  const statement = query.prepared ? { name: `bare_${key}`, text: query.text, values: query.values } : query;
  pool.query(statement).then(
    (result) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ items: result.rows }));
    },
    (error: unknown) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error));
    },
  );
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`bare: serving on http://127.0.0.1:${port}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  pool.end().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
