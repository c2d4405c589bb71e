import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../src/postgres/embedded.ts";
import { type PrivateCheckout, privateCheckout } from "../src/testing/index.ts";

// As root, PostgreSQL runs as the `postgres` user; as anyone else, as oneself, and no folder is out of reach.
const asRoot = process.getuid?.() === 0;

describe.runIf(asRoot)("as root, from a checkout in a private folder (0700)", () => {
  let checkout: PrivateCheckout;
  beforeAll(() => {
    checkout = privateCheckout();
  });
  afterAll(() => checkout?.remove());

  it("the test command's throwaway cluster starts, takes its template and stops, and the folder stays private", () => {
    // What `npm test` does first: the copy's own global setup, with vitest's provide() written down.
    const script = `
      import setup from ${JSON.stringify(join(checkout.root, "packages/db/src/testing/global-setup.ts"))};
      import { probe, withDatabase } from ${JSON.stringify(join(checkout.root, "packages/db/src/postgres/database.ts"))};
      let provided;
      const teardown = await setup({ provide: (_key, value) => { provided = value; } });
      await probe(withDatabase(provided.serverUrl, provided.template));
      await teardown();
      console.log(JSON.stringify({ dataDir: provided.dataDir }));
    `;
    const env = { ...process.env };
    delete env.TEST_DATABASE_URL;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: checkout.root,
      env,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ dataDir: expect.stringMatching(/\/chairside-test-\w+\/pgdata$/) });
    expect(statSync(checkout.folder).mode & 0o777).toBe(0o700);
  });

  it("refuses a cluster it made before its folder became private, saying what to do, rather than start another", async () => {
    const folder = mkdtempSync(join(tmpdir(), "chairside-made-private-"));
    try {
      chmodSync(folder, 0o755);
      const dataDir = join(folder, "pgdata");
      await (await startEmbeddedPostgres({ dataDir, durable: false })).stop();
      chmodSync(folder, 0o700);
      await expect(startEmbeddedPostgres({ dataDir, durable: false })).rejects.toThrow(
        `${dataDir} holds a cluster, but user postgres, which PostgreSQL runs as, cannot enter ${folder}: let it in (e.g. setfacl -m u:postgres:x ${folder}), or move the cluster to a folder it can reach and point CHAIRSIDE_DATA_DIR there`,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
