// What the bench's reference servers (the naive version, the bare HTTP route) share: plain node:http and pg
// with the server's pool size, JSON answers, the address printed once listening, a clean stop on SIGTERM.
import { createServer } from "node:http";
import pg from "pg";
import { SERVER_POOL_SIZE } from "./ceiling.ts";

/** `answer` returns the JSON body for a request, or null for 404. Env: DATABASE_URL. */
export function serveJson(label: string, answer: (url: URL, pool: pg.Pool) => Promise<unknown> | null): void {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error(`${label} server: DATABASE_URL is required`);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: SERVER_POOL_SIZE });
  pool.on("error", () => {});

  const server = createServer((request, response) => {
    const answering = answer(new URL(request.url ?? "/", "http://127.0.0.1"), pool);
    if (!answering) {
      response.writeHead(404).end();
      return;
    }
    answering.then(
      (body) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
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
    console.log(`${label}: serving on http://127.0.0.1:${port}`);
  });

  const stop = () => {
    server.close();
    server.closeAllConnections();
    pool.end().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
