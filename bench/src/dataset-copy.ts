// The bench's copies of a data set (the naive version's, the distinct surnames'): a database made from it as a
// template and changed once, kept and reused while complete (a `comment on database` marker written after the
// change succeeded) and copied from the data set as it is now. Nothing here touches the data set itself.
import { readMarker, schemaVersion, withClient, writeMarker } from "./datasets.ts";
import { withDatabase } from "./product.ts";

interface CopyMarker {
  complete: true;
  /** The data set it was copied from, as it was then: a reseeded or migrated data set makes the copy stale. */
  source: string;
  sourceSeededAt: string;
  sourceSchema: string;
  /** How the copy was changed, when that may change between versions of the bench: another makes it stale. */
  recipe?: string;
}

export interface DatasetCopy<Details> {
  name: string;
  url: string;
  /** What `change` returned when the copy was made (kept in its marker, beside the marker's own fields). */
  details: Details;
  /** True when this run made it. */
  madeNow: boolean;
}

export interface CopyPlan<Details extends object> {
  /** Appended to the data set's name: `<dataset>_<suffix>`. */
  suffix: string;
  recipe?: string;
  /** What the copy is, for the log ("without its secondary indexes"). */
  describe: string;
  /** Changes the fresh copy; what it returns is kept in the marker and handed back on reuse. */
  change: (url: string) => Promise<Details>;
}

export async function ensureCopy<Details extends object>(
  serverUrl: string,
  dataset: { name: string; url: string; marker: { seededAt: string } },
  plan: CopyPlan<Details>,
  log: (line: string) => void,
): Promise<DatasetCopy<Details>> {
  const name = `${dataset.name}_${plan.suffix}`;
  const url = withDatabase(serverUrl, name);
  const sourceSchema = await schemaVersion(dataset.url);
  const existing = await readMarker<CopyMarker & Details>(serverUrl, name);
  if (
    existing?.complete === true &&
    existing.source === dataset.name &&
    existing.sourceSeededAt === dataset.marker.seededAt &&
    existing.sourceSchema === sourceSchema &&
    existing.recipe === plan.recipe
  ) {
    log(`copy ${name}: reusing`);
    return { name, url, details: existing, madeNow: false };
  }

  log(`copy ${name}: copying ${dataset.name} ${plan.describe}...`);
  await withClient(serverUrl, async (client) => {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
    // A template copy needs the source to have no other sessions; the bench closes its own before this.
    await client.query(
      `create database ${client.escapeIdentifier(name)} template ${client.escapeIdentifier(dataset.name)}`,
    );
  });
  const details = await plan.change(url);
  const marker: CopyMarker = {
    complete: true,
    source: dataset.name,
    sourceSeededAt: dataset.marker.seededAt,
    sourceSchema,
    ...(plan.recipe ? { recipe: plan.recipe } : {}),
  };
  await writeMarker(serverUrl, name, { ...marker, ...details });
  return { name, url, details, madeNow: true };
}
