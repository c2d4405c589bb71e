// A reference, not a product: the list's exact SQL behind the barest HTTP route (node:http, pg with the
// server's pool size, JSON.stringify of the rows), with nothing else Chairside does per request: no tRPC, no
// input validation, no session, no audit trail, no rules, no cursor, no compression. What any HTTP server
// could at best serve for this query on this machine, beside the ceiling (no HTTP at all).
// Env: DATABASE_URL; BARE_QUERIES, a JSON object of WireQuery by path (GET /first, GET /search).
import { serveJson } from "./child-server.ts";
import type { WireQuery } from "./in-process.ts";

const queries = JSON.parse(process.env.BARE_QUERIES ?? "{}") as Record<string, WireQuery>;

serveJson("bare", (url, pool) => {
  const key = url.pathname.slice(1);
  const query = queries[key];
  if (!query) return null;
  // Prepared or planned per call, as Chairside sends it.
  const statement = query.prepared ? { name: `bare_${key}`, text: query.text, values: query.values } : query;
  return pool.query(statement).then((result) => ({ items: result.rows }));
});
