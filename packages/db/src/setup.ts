// Bringing a database up to date: migrations, and demo data where there is none yet.
import { Patient } from "./entities/index.ts";
import type { ChairsideOrm } from "./orm.ts";
import { createProgressBar, seedDatabase } from "./seed/index.ts";

/** How many patients the demo data has: enough to scroll through many pages, quick to load. */
export const DEMO_PATIENTS = 3_000;
export const DEMO_SEED = 1;

/** Applies pending migrations; returns the names of those applied. */
export async function migrateToLatest(orm: ChairsideOrm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}

export function patientCount(orm: ChairsideOrm): Promise<number> {
  return orm.em.fork().count(Patient);
}

/** Today's date in UTC, the anchor of generated histories: the same seed on the same day gives the same rows. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Loads the demo data into an empty database; leaves a database with patients alone. */
export async function seedDemoIfEmpty(orm: ChairsideOrm, url: string): Promise<boolean> {
  if ((await patientCount(orm)) > 0) return false;
  await seedDatabase(url, {
    patients: DEMO_PATIENTS,
    seed: DEMO_SEED,
    today: todayUtc(),
    onProgress: createProgressBar(),
  });
  return true;
}
