// The naive version's HTTP server, run as a child process by the bench: GET /patients?page=N&search=...
// answers one page as JSON, plain node:http and pg with the server's pool size. Env: DATABASE_URL.
import { serveJson } from "./child-server.ts";
import { naiveListPatients } from "./naive-list.ts";

serveJson("naive", (url, pool) => {
  if (url.pathname !== "/patients") return null;
  const page = Math.max(0, Number(url.searchParams.get("page") ?? 0) || 0);
  return naiveListPatients(pool, page, url.searchParams.get("search"), new Date()).then((items) => ({ items }));
});
