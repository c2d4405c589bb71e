// MikroORM's configuration for Chairside, in one place for the server, the CLI, the seeder and tests.
import { fileURLToPath } from "node:url";
import { Migrator, TSMigrationGenerator } from "@mikro-orm/migrations";
import { defineConfig, MikroORM, type Options } from "@mikro-orm/postgresql";
import { entities } from "./entities/index.ts";
import { guardPool } from "./postgres/pool-guard.ts";

export const migrationsPath = fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * Writes migrations as usual, minus MikroORM's attempts to recreate our hand-written SQL functions in `down`
 * (routines are not entity metadata here, and `ignoreRoutines` does not reach the down diff).
 */
class ChairsideMigrationGenerator extends TSMigrationGenerator {
  override generateMigrationFile(className: string, diff: { up: string[]; down: string[] }): string {
    const isRoutine = (sql: string) => /^\s*create or replace function\b/i.test(sql);
    // Empty strings separate groups of statements: drop the ones the removed routines leave dangling.
    const down = diff.down
      .filter((sql) => !isRoutine(sql))
      .filter((sql, index, all) => sql !== "" || (index > 0 && index < all.length - 1 && all[index - 1] !== ""));
    return super.generateMigrationFile(className, { up: diff.up, down });
  }
}

export function ormConfig(url: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl: url,
    entities,
    extensions: [Migrator],
    migrations: {
      path: migrationsPath,
      glob: "!(*.d).ts",
      emit: "ts",
      generator: ChairsideMigrationGenerator,
      // New migrations are diffed against a database migrated to the latest one, not a snapshot file.
      snapshot: false,
      silent: true,
    },
    // Our SQL functions (search normalisation, the last-visit refresh) are written in the migrations;
    // the schema diff must neither drop them nor claim they are missing from the entities.
    schemaGenerator: { ignoreRoutines: true },
    // Loading a page of patients with their last visit is one joined SELECT, not one per relation.
    loadStrategy: "joined",
    // Entities are defined with defineEntity, so discovery needs no TypeScript metadata.
    discovery: { checkDuplicateTableNames: true },
    pool: { min: 0, max: 10 },
    // An unreachable database fails a request within seconds instead of leaving it waiting for a connection.
    driverOptions: { connectionTimeoutMillis: 5_000, onPoolCreated: guardPool },
    ...overrides,
  });
}

export type ChairsideOrm = MikroORM;

export function createOrm(url: string, overrides: Partial<Options> = {}): Promise<ChairsideOrm> {
  return MikroORM.init(ormConfig(url, overrides));
}
