// Which kind of connection an ORM's URL leads to (see PoolMode in server-database.ts), remembered per ORM so that
// the runner and the pools beside the ORM's (audit trail, sign-in throttle) send only what it can take.
import type { ConnectionsEnv } from "../env.ts";

export type PoolMode = ConnectionsEnv["DATABASE_POOL_MODE"];

const modes = new WeakMap<object, PoolMode>();

export function rememberPoolMode(orm: { config: object }, mode: PoolMode): void {
  modes.set(orm.config, mode);
}

/** "session" unless the ORM was made for a transaction-mode pooler. */
export function poolModeOf(orm: { config: object }): PoolMode {
  return modes.get(orm.config) ?? "session";
}

/** pg options for a pool of its own beside the ORM's: a statement timeout where startup settings are allowed
 *  (through a transaction pooler the role's default applies instead). */
export function sidePoolSettings(orm: { config: object }, statementTimeoutMs: number): { statement_timeout?: number } {
  return poolModeOf(orm) === "session" ? { statement_timeout: statementTimeoutMs } : {};
}
