// The naive version's HTTP server, run as a child process by the bench: GET /patients?page=N&search=...
// answers one page as JSON, plain node:http and pg with the server's pool size. Env: DATABASE_URL.
import { createServer } from "node:http";
import pg from "pg";
import { SERVER_POOL_SIZE } from "./ceiling.ts";
import { naiveListPatients } from "./naive-list.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("naive server: DATABASE_URL is required");
const pool = new pg.Pool({ connectionString: url, max: SERVER_POOL_SIZE });
pool.on("error", () => {});

const server = createServer((request, response) => {
  const requestUrl = new URL(request.url ?? "/", "http://127.0.0.1");
  if (requestUrl.pathname !== "/patients") {
    response.writeHead(404).end();
    return;
  }
  const page = Math.max(0, Number(requestUrl.searchParams.get("page") ?? 0) || 0);
  naiveListPatients(pool, page, requestUrl.searchParams.get("search"), new Date()).then(
    (items) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ items }));
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
  console.log(`naive: serving on http://127.0.0.1:${port}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  pool.end().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
