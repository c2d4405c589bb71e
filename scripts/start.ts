// `pnpm start`: build the SPA, then serve it and the API from one port (apps/server/src/main.ts).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
if (existsSync(join(root, "apps/web/vite.config.ts"))) {
  const build = spawnSync("vite", ["build", "--config", "apps/web/vite.config.ts", "--logLevel", "warn", "apps/web"], {
    cwd: root,
    stdio: "inherit",
  });
  if (build.status !== 0) {
    console.error("chairside: the SPA did not build (see above)");
    process.exit(1);
  }
}
await import("../apps/server/src/main.ts");
