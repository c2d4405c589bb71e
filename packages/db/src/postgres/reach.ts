// As root, PostgreSQL runs as the `postgres` user, which must reach its programs and its data folder. A
// checkout in a private folder (root's home is 0700) is out of its reach, and opening that folder to it
// would open it to more than PostgreSQL. So, without changing any folder's permissions, what PostgreSQL needs
// is put where it can reach it: its programs, linked (or copied) beside the data folder; the data folder,
// when that too is out of reach, under /var/lib/chairside.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { DatabaseStartupError } from "./errors.ts";
import type { PostgresUser } from "./postgres-user.ts";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** Where the clusters of checkouts that `postgres` cannot enter keep their data. */
export const REACHABLE_DATA_ROOT = "/var/lib/chairside";

export interface Placement {
  dataDir: string;
  binaries: PostgresBinaries;
  /** Why the data is not where it was asked to be, when it is not. */
  movedBecause?: string;
}

/** Where `user` runs PostgreSQL from and keeps its data: as asked, or moved within its reach. */
export function placeForPostgres(dataDir: string, binaries: PostgresBinaries, user: PostgresUser): Placement {
  const placement = placeData(dataDir, user);
  return { ...placement, binaries: runnableBinaries(binaries, placement.dataDir, user) };
}

function placeData(dataDir: string, user: PostgresUser): Omit<Placement, "binaries"> {
  mkdirSync(dirname(dataDir), { recursive: true });
  const blocked = firstBlocked(dirname(dataDir), user);
  if (!blocked) return { dataDir };
  const movedBecause = `user postgres, which PostgreSQL runs as, cannot enter ${blocked}`;
  if (existsSync(join(dataDir, "PG_VERSION"))) {
    throw new DatabaseStartupError(
      `${dataDir} holds a cluster, but ${movedBecause}: let it in (e.g. setfacl -m u:postgres:x ${blocked}), or move the cluster to a folder it can reach and point CHAIRSIDE_DATA_DIR there`,
    );
  }
  try {
    mkdirSync(REACHABLE_DATA_ROOT, { recursive: true });
    chmodSync(REACHABLE_DATA_ROOT, 0o755);
  } catch (error) {
    throw new DatabaseStartupError(
      `${movedBecause}, and ${REACHABLE_DATA_ROOT} could not be made for its data (${(error as Error).message}): set CHAIRSIDE_DATA_DIR to a folder it can reach`,
    );
  }
  // One folder per asked-for path, named after it, so every process of that checkout finds the same one.
  const moved = join(REACHABLE_DATA_ROOT, dataDir.split(sep).filter(Boolean).join("-"));
  return { dataDir: moved, movedBecause };
}

/** The programs as they are when `user` can run them there; otherwise a copy beside the data folder. */
function runnableBinaries(binaries: PostgresBinaries, dataDir: string, user: PostgresUser): PostgresBinaries {
  if (canRun(binaries.postgres, user)) return binaries;
  // bin/, lib/ and share/ of the platform package: PostgreSQL finds its libraries and files relative to itself.
  const installation = resolve(dirname(binaries.postgres), "..");
  const staged = `${dataDir}.binaries`;
  const stamp = join(staged, ".copied-from");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== installation) {
    rmSync(staged, { recursive: true, force: true });
    linkTree(installation, staged);
    writeFileSync(stamp, installation);
  }
  const inStaged = (binary: string) => join(staged, relative(installation, binary));
  const copy = { initdb: inStaged(binaries.initdb), postgres: inStaged(binaries.postgres) };
  if (!canRun(copy.postgres, user)) {
    throw new DatabaseStartupError(
      `user postgres, which PostgreSQL runs as, can run neither ${binaries.postgres} nor its copy ${copy.postgres}: set CHAIRSIDE_DATA_DIR to a folder it can reach`,
    );
  }
  return copy;
}

/** Hard links where the file system allows (no time, no space), copies where it does not; folders 0755. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  chmodSync(to, 0o755);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
        chmodSync(target, statSync(source).mode & 0o777);
      }
    }
  }
}

function canRun(binary: string, user: PostgresUser): boolean {
  return spawnSync(binary, ["-V"], { stdio: "ignore", ...user }).status === 0;
}

function canEnter(folder: string, user: PostgresUser): boolean {
  return spawnSync("test", ["-x", folder], { stdio: "ignore", ...user }).status === 0;
}

/** The outermost folder on the way to `folder` that `user` may not pass through, if any. */
export function firstBlocked(folder: string, user: PostgresUser): string | undefined {
  if (canEnter(folder, user)) return undefined;
  let path: string = sep;
  for (const part of folder.split(sep).filter(Boolean)) {
    path = join(path, part);
    if (!canEnter(path, user)) return path;
  }
  return folder;
}
