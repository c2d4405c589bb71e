// `pnpm typecheck`: TypeScript (strict) over every workspace project and the root scripts.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const projects = [".", "bench"];
for (const folder of ["packages", "apps", "examples"]) {
  if (!existsSync(join(root, folder))) continue;
  for (const name of readdirSync(join(root, folder)).sort()) {
    if (existsSync(join(root, folder, name, "tsconfig.json"))) projects.push(join(folder, name));
  }
}

let failed = false;
for (const project of projects) {
  const result = spawnSync("tsc", ["-p", project], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`typecheck failed in ${project}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
