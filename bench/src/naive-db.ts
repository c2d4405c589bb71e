// The naive baseline's database: a copy of the data set made from it as a template, WITHOUT Chairside's
// secondary indexes (only primary keys and constraints stay), plus the throwaway column the naive version
// writes each patient's status back into. Nothing here touches the product's schema or the data set itself.
import { readMarker, schemaVersion, withClient, writeMarker } from "./datasets.ts";
import { withDatabase } from "./product.ts";

interface NaiveMarker {
  complete: true;
  /** The data set it was copied from, as it was then: a reseeded or migrated data set makes the copy stale. */
  source: string;
  sourceSeededAt: string;
  sourceSchema: string;
}

export interface NaiveDatabase {
  name: string;
  url: string;
  droppedIndexes: string[];
}

export async function ensureNaiveCopy(
  serverUrl: string,
  dataset: { name: string; url: string; marker: { seededAt: string } },
  log: (line: string) => void,
): Promise<NaiveDatabase> {
  const name = `${dataset.name}_naive`;
  const url = withDatabase(serverUrl, name);
  const sourceSchema = await schemaVersion(dataset.url);
  const existing = await readMarker<NaiveMarker & { droppedIndexes?: string[] }>(serverUrl, name);
  if (
    existing?.complete === true &&
    existing.source === dataset.name &&
    existing.sourceSeededAt === dataset.marker.seededAt &&
    existing.sourceSchema === sourceSchema
  ) {
    log(`naive copy ${name}: reusing`);
    return { name, url, droppedIndexes: existing.droppedIndexes ?? [] };
  }

  log(`naive copy ${name}: copying ${dataset.name} without its secondary indexes...`);
  await withClient(serverUrl, async (client) => {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
    // A template copy needs the source to have no other sessions; the bench closes its own before this.
    await client.query(
      `create database ${client.escapeIdentifier(name)} template ${client.escapeIdentifier(dataset.name)}`,
    );
  });
  const droppedIndexes = await withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `select i.indexrelid::regclass::text as name
         from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = 'public'
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
        order by 1`,
    );
    for (const row of rows) await client.query(`drop index ${row.name}`);
    await client.query("alter table patient add column naive_status text");
    await client.query("vacuum analyze patient, appointment");
    return rows.map((row) => row.name);
  });
  await writeMarker(serverUrl, name, {
    complete: true,
    source: dataset.name,
    sourceSeededAt: dataset.marker.seededAt,
    sourceSchema,
    droppedIndexes,
  });
  return { name, url, droppedIndexes };
}
