import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createOrm } from "../src/orm.ts";
import { openDatabase } from "../src/postgres/database.ts";
import { prepareThrowawayDir, startEmbeddedPostgres } from "../src/postgres/embedded.ts";
import { DatabaseStartupError } from "../src/postgres/errors.ts";

const folders: string[] = [];
function throwawayDataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), "chairside-startup-"));
  folders.push(folder);
  return prepareThrowawayDir(folder);
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>("select 1 as one")).rows[0]?.one ?? 0;
  } finally {
    await client.end();
  }
}

describe("the embedded PostgreSQL", () => {
  it("runs two checkouts side by side, each on a free port of its own", async () => {
    const [first, second] = await Promise.all([
      startEmbeddedPostgres({ dataDir: throwawayDataDir(), durable: false }),
      startEmbeddedPostgres({ dataDir: throwawayDataDir(), durable: false }),
    ]);
    try {
      expect(first.port).not.toBe(second.port);
      expect(await selectOne(first.url)).toBe(1);
      expect(await selectOne(second.url)).toBe(1);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it("joins the cluster another process already runs in the same folder, and leaves it running", async () => {
    const dataDir = throwawayDataDir();
    const owner = await startEmbeddedPostgres({ dataDir, durable: false });
    try {
      const guest = await startEmbeddedPostgres({ dataDir, durable: false });
      expect(guest).toMatchObject({ owned: false, port: owner.port });
      await guest.stop();
      expect(await selectOne(owner.url)).toBe(1);
    } finally {
      await owner.stop();
    }
  });

  it("keeps its data between runs", async () => {
    const dataDir = throwawayDataDir();
    const first = await startEmbeddedPostgres({ dataDir });
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query("create table kept (value text); insert into kept values ('still here')");
    await client.end();
    await first.stop();
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      const again = new pg.Client({ connectionString: second.url });
      await again.connect();
      expect((await again.query("select value from kept")).rows).toEqual([{ value: "still here" }]);
      // A real cluster caches a quarter of the memory, up to 1 GB (PostgreSQL's own default is 128 MB).
      const expectedMb = Math.max(128, Math.min(1024, Math.floor(totalmem() / 4 / 2 ** 20)));
      const { rows } = await again.query<{ mb: number }>(
        "select setting::int * 8 / 1024 as mb from pg_settings where name = 'shared_buffers'",
      );
      expect(rows[0]?.mb).toBe(expectedMb);
      await again.end();
    } finally {
      await second.stop();
    }
  });

  it("says so in one line when the chosen port is taken", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      await expect(startEmbeddedPostgres({ dataDir: throwawayDataDir(), port })).rejects.toThrow(
        new DatabaseStartupError(
          `port ${port} is already in use by another program: free it, or unset CHAIRSIDE_PG_PORT to let Chairside pick a free port`,
        ),
      );
    } finally {
      blocker.close();
    }
  });

  it("refuses a data folder made by another PostgreSQL version, saying what to do", async () => {
    const dataDir = throwawayDataDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "PG_VERSION"), "16\n");
    const attempt = startEmbeddedPostgres({ dataDir });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseStartupError);
    await expect(attempt).rejects.toThrow(
      /holds data of PostgreSQL 16, but Chairside runs PostgreSQL 18: move that folder away/,
    );
  });
});

describe("the embedded PostgreSQL, configured by hand", () => {
  /** A cluster that has run once, stopped, with these lines added to its postgresql.conf. */
  async function configuredCluster(...lines: string[]): Promise<string> {
    const dataDir = throwawayDataDir();
    await (await startEmbeddedPostgres({ dataDir, durable: false })).stop();
    appendFileSync(join(dataDir, "postgresql.conf"), lines.map((line) => `${line}\n`).join(""));
    return dataDir;
  }

  it("starts when its log goes to files (logging_collector = on): it waits on the server, not on a log line", async () => {
    const dataDir = await configuredCluster("logging_collector = on");
    const cluster = await startEmbeddedPostgres({ dataDir, durable: false, startTimeoutMs: 20_000 });
    try {
      expect(await selectOne(cluster.url)).toBe(1);
    } finally {
      await cluster.stop();
    }
  });

  it("says in one line why it stopped, read from its log file when that is where it went", async () => {
    const dataDir = await configuredCluster("logging_collector = on");
    // No WAL left: the startup process finds no checkpoint to start from and gives up.
    const wal = join(dataDir, "pg_wal");
    for (const segment of readdirSync(wal).filter((name) => /^[0-9A-F]{24}$/.test(name))) rmSync(join(wal, segment));
    const attempt = startEmbeddedPostgres({ dataDir, durable: false, startTimeoutMs: 20_000 });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseStartupError);
    await expect(attempt).rejects.toThrow(
      /^embedded PostgreSQL did not start: PANIC: {2}could not locate a valid checkpoint record.* \(its log: .*\/log\/postgresql-.*\.log\)$/,
    );
  });

  it("says in one line when it runs but does not accept connections, and stops it", async () => {
    // A standby with no primary to follow and hot standby off: alive, never open to connections.
    const dataDir = await configuredCluster("hot_standby = off");
    writeFileSync(join(dataDir, "standby.signal"), "");
    const attempt = startEmbeddedPostgres({ dataDir, durable: false, startTimeoutMs: 2_000 });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseStartupError);
    const reason = await attempt.catch((error: Error) => error.message);
    expect(reason).toMatch(
      /^embedded PostgreSQL in \S+ did not become ready within 2 s \(status "standby"; it last logged: LOG: .*\), so it was stopped: see its log for why, then start again$/,
    );
    expect(reason).toContain(dataDir);
    // Stopped, not left running: the folder is free for the next start.
    expect(readdirSync(dataDir)).not.toContain("postmaster.pid");
  });
});

describe("DATABASE_URL", () => {
  it("that cannot be reached is explained in one line, without the password", async () => {
    const env = { DATABASE_URL: "postgres://clinic:s3cret@127.0.0.1:1/chairside", CHAIRSIDE_DATA_DIR: "unused" };
    const attempt = openDatabase(env);
    await expect(attempt).rejects.toThrow(
      "cannot reach PostgreSQL at 127.0.0.1:1/chairside: connection refused (is it running?)",
    );
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });

  it("points the same code and migrations at another PostgreSQL", async () => {
    const cluster = await startEmbeddedPostgres({ dataDir: throwawayDataDir(), durable: false });
    try {
      const database = await openDatabase({ DATABASE_URL: cluster.url, CHAIRSIDE_DATA_DIR: "unused" });
      expect(database).toMatchObject({ url: cluster.url, embedded: false });
      const orm = await createOrm(database.url);
      try {
        await orm.migrator.up();
        expect(await orm.migrator.getPending()).toEqual([]);
      } finally {
        await orm.close();
      }
    } finally {
      await cluster.stop();
    }
  });

  it("with a wrong password is explained as such", async () => {
    const cluster = await startEmbeddedPostgres({ dataDir: throwawayDataDir(), durable: false });
    try {
      const wrong = new URL(cluster.url);
      wrong.password = "not-the-password";
      await expect(openDatabase({ DATABASE_URL: wrong.toString(), CHAIRSIDE_DATA_DIR: "unused" })).rejects.toThrow(
        `PostgreSQL at 127.0.0.1:${cluster.port}/postgres refused the user or password in DATABASE_URL`,
      );
    } finally {
      await cluster.stop();
    }
  });

  it("makes the CLI print one line and no stack trace", () => {
    const result = spawnSync(process.execPath, ["src/cli.ts", "migrate"], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, DATABASE_URL: "postgres://clinic@127.0.0.1:1/chairside" },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      "chairside: cannot reach PostgreSQL at 127.0.0.1:1/chairside: connection refused (is it running?)",
    );
  });
});
