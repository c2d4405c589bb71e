// The naive baseline's database: a copy of the data set (dataset-copy.ts) WITHOUT Chairside's secondary indexes
// (only primary keys and constraints stay), plus the throwaway column the naive version writes each patient's
// status back into. Nothing here touches the product's schema or the data set itself.
import { ensureCopy } from "./dataset-copy.ts";
import { withClient } from "./datasets.ts";

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
  const copy = await ensureCopy(
    serverUrl,
    dataset,
    {
      suffix: "naive",
      describe: "without its secondary indexes",
      change: (url) =>
        withClient(url, async (client) => {
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
          return { droppedIndexes: rows.map((row) => row.name) };
        }),
    },
    log,
  );
  return { name: copy.name, url: copy.url, droppedIndexes: copy.details.droppedIndexes ?? [] };
}
