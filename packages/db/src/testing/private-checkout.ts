// A copy of this checkout in a fresh private folder (0700, as root's home is), for tests of what a person
// who cloned Chairside there would see: hard links where the file system allows, so it costs next to nothing.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** What runs the server and starts clusters: the packages the server runs on, the server, the installed packages. */
const PARTS = ["package.json", "node_modules", "packages/db", "packages/csv", "apps/server"];

export interface PrivateCheckout {
  /** The private folder (0700) that holds the copy. */
  folder: string;
  /** The copy's root, inside `folder`. */
  root: string;
  remove(): void;
}

export function privateCheckout(): PrivateCheckout {
  const folder = mkdtempSync(join(tmpdir(), "chairside-private-"));
  chmodSync(folder, 0o700);
  const root = join(folder, "chairside");
  mkdirSync(join(root, "packages"), { recursive: true });
  mkdirSync(join(root, "apps"));
  for (const part of PARTS) {
    const [from, to] = [join(repositoryRoot, part), join(root, part)];
    if (spawnSync("cp", ["-al", from, to]).status !== 0 && spawnSync("cp", ["-a", from, to]).status !== 0) {
      throw new Error(`could not copy ${from} to ${to}`);
    }
  }
  return { folder, root, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
