// The bench's data sets: one database per (patients, seed) in the bench's own embedded cluster, seeded once
// with the product's generator and reused while complete. Completeness is a `comment on database` written
// only after seeding succeeded, so an interrupted seed is redone on the next run.
import { join } from "node:path";
import { type ChairsideOrm, createOrm } from "@chairside/db";
import { seedDatabase } from "@chairside/db/seed";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from "./product.ts";

/** The bench cluster's folder: git-ignored (.data/), apart from the developer's .data/postgres. */
export const BENCH_DATA_DIR = join(import.meta.dirname, "..", "..", ".data", "bench-postgres");

/**
 * Every data set's "today": its histories end here, whatever day the bench runs, so re-runs compare like
 * with like. The server's clock still says the real date; statuses drift slowly, the rows never change.
 */
export const BENCH_TODAY = "2026-06-15";

export interface DatasetMarker {
  complete: true;
  patients: number;
  seed: number;
  today: string;
  appointments: number;
  /** How long seeding took when it ran, in ms, and when. */
  seedMs: number;
  seededAt: string;
}

export interface Dataset {
  name: string;
  url: string;
  marker: DatasetMarker;
  /** True when this run seeded it (so seedMs was measured now). */
  seededNow: boolean;
}

export interface Cluster {
  url: string;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const cluster = await startEmbeddedPostgres({ dataDir: BENCH_DATA_DIR });
  return { url: cluster.url, stop: () => cluster.stop() };
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export const datasetName = (patients: number, seed: number) => `bench_p${patients}_s${seed}`;

export async function readMarker<T>(serverUrl: string, database: string): Promise<T | null> {
  return withClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1",
      [database],
    );
    const comment = rows[0]?.comment;
    if (!comment) return null;
    try {
      return JSON.parse(comment) as T;
    } catch {
      return null;
    }
  });
}

export async function writeMarker(serverUrl: string, database: string, marker: unknown): Promise<void> {
  await withClient(serverUrl, (client) =>
    client.query(
      `comment on database ${client.escapeIdentifier(database)} is ${client.escapeLiteral(JSON.stringify(marker))}`,
    ),
  );
}

async function migrate(url: string): Promise<void> {
  const orm: ChairsideOrm = await createOrm(url);
  try {
    await orm.migrator.up();
  } finally {
    await orm.close();
  }
}

/** The data set for `patients` and `seed`: reused when complete (after applying any new migration), else seeded. */
export async function ensureDataset(
  serverUrl: string,
  patients: number,
  seed: number,
  options: { reseed: boolean; log: (line: string) => void },
): Promise<Dataset> {
  const name = datasetName(patients, seed);
  await ensureDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  const existing = await readMarker<DatasetMarker>(serverUrl, name);
  const reusable =
    existing?.complete === true &&
    existing.patients === patients &&
    existing.seed === seed &&
    existing.today === BENCH_TODAY &&
    !options.reseed;
  if (reusable) {
    options.log(`data set ${name}: reusing (${existing.appointments.toLocaleString("en-US")} appointments)`);
    return { name, url, marker: existing, seededNow: false };
  }

  options.log(`data set ${name}: seeding ${patients.toLocaleString("en-US")} patients...`);
  await writeMarker(serverUrl, name, { complete: false });
  const result = await seedDatabase(url, { patients, seed, today: BENCH_TODAY });
  const marker: DatasetMarker = {
    complete: true,
    patients,
    seed,
    today: BENCH_TODAY,
    appointments: result.appointments,
    seedMs: result.ms,
    seededAt: new Date().toISOString(),
  };
  await writeMarker(serverUrl, name, marker);
  options.log(`data set ${name}: seeded in ${(result.ms / 1000).toFixed(1)} s`);
  return { name, url, marker, seededNow: true };
}

/** The newest migration a database has applied: a copy made before it is stale. */
export async function schemaVersion(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      "select name from mikro_orm_migrations order by id desc limit 1",
    );
    return rows[0]?.name ?? "none";
  });
}
