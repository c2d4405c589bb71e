// PostgreSQL refuses to run as root: as root, the embedded cluster runs as the `postgres` system user.
import { spawnSync } from "node:child_process";
import { userInfo } from "node:os";
import { DatabaseStartupError } from "./errors.ts";

/** The user the cluster's processes run as, for spawn(); undefined: ourselves. */
export type PostgresUser = { uid: number; gid: number };

/** As root, the `postgres` system user (created if needed); otherwise undefined: PostgreSQL runs as us. */
export function postgresUser(): PostgresUser | undefined {
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
