import { spawn } from "node:child_process";
import { existsSync, rmdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { type PrivateCheckout, privateCheckout } from "@chairside/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Where the launcher keeps data that the postgres user cannot reach where asked (internal to the db package).
import { REACHABLE_DATA_ROOT } from "../../../packages/db/src/postgres/reach.ts";
import { waitForLine } from "./server-process.ts";

// As root, PostgreSQL runs as the `postgres` user; as anyone else, as oneself, and no folder is out of reach.
const asRoot = process.getuid?.() === 0;

describe.runIf(asRoot)("as root, from a checkout in a private folder (0700)", () => {
  let checkout: PrivateCheckout;
  const moved: string[] = [];
  const hadMovedData = existsSync(REACHABLE_DATA_ROOT);
  beforeAll(() => {
    checkout = privateCheckout();
  });
  afterAll(() => {
    for (const path of moved) {
      for (const suffix of ["", ".password", ".binaries"]) rmSync(`${path}${suffix}`, { recursive: true, force: true });
    }
    if (!hadMovedData && existsSync(REACHABLE_DATA_ROOT)) rmdirSync(REACHABLE_DATA_ROOT);
    checkout?.remove();
  });

  it("the quick start serves, with its data where PostgreSQL can reach it, and says where; the folder stays private", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", NODE_ENV: "development", SEED_DEMO_DATA: "false" };
    delete env.CHAIRSIDE_DATA_DIR; // the default: .data/postgres in the checkout
    const child = spawn(process.execPath, ["apps/server/src/main.ts"], {
      cwd: checkout.root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    try {
      const [, dataDir, url] = await waitForLine(
        child,
        /data in (\S+): user postgres, which PostgreSQL runs as, cannot enter \S+\)[\s\S]*serving on (http:\/\/[\d.:]+)/,
      );
      moved.push(dataDir as string);
      expect(output.join("")).toContain(`cannot enter ${checkout.folder})`);
      expect(dataDir).toBe(
        `${REACHABLE_DATA_ROOT}/${join(checkout.root, ".data/postgres").slice(1).replaceAll("/", "-")}`,
      );
      expect((await fetch(`${url}/ready`)).status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited, output.join("")).toBe(0);
      expect(statSync(checkout.folder).mode & 0o777).toBe(0o700);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
