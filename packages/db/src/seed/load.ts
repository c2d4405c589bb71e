// Getting generated rows into PostgreSQL fast: COPY streams for the big tables, one multi-row INSERT for the
// small ones, and sequences moved past the explicit ids afterwards.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

function columnList(client: pg.Client, columns: readonly string[]): string {
  return columns.map((column) => client.escapeIdentifier(column)).join(", ");
}

/**
 * Streams COPY text chunks into `table`. Readable.from pulls the generator only as fast as the socket drains,
 * so memory stays flat however many rows there are. Returns the number of rows copied.
 */
export async function copyInto(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  chunks: Iterable<string>,
): Promise<number> {
  const stream = client.query(
    copyFrom(`copy ${client.escapeIdentifier(table)} (${columnList(client, columns)}) from stdin with (format text)`),
  );
  await pipeline(Readable.from(chunks), stream);
  return stream.rowCount;
}

/** One parameterised INSERT for a handful of rows (PostgreSQL allows 65535 parameters per statement). */
export async function insertRows(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value) => `$${values.push(value)}`).join(", ")})`);
  await client.query(
    `insert into ${client.escapeIdentifier(table)} (${columnList(client, columns)}) values ${tuples.join(", ")}`,
    values,
  );
}

/** Points each table's id sequence past its largest id, so the next INSERT without an id gets max + 1. */
export async function resetSequences(client: pg.Client, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    const name = client.escapeIdentifier(table);
    await client.query(
      `select setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 1), max(id) is not null) from ${name}`,
      [name],
    );
  }
}

/**
 * Drops the secondary indexes of `table` (all but the primary key and indexes behind constraints) and returns
 * the statements that recreate them exactly, read from the catalog so that indexes added by later migrations
 * are covered too. Building an index once over loaded rows is far cheaper than maintaining it row by row,
 * above all the trigram GIN index on patient.search_text.
 */
export async function dropSecondaryIndexes(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i
      where i.indrelid = $1::regclass
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      order by i.indexrelid`,
    [table],
  );
  for (const { name } of rows) await client.query(`drop index ${name}`);
  return rows.map(({ definition }) => definition);
}

/**
 * Drops the foreign keys from and to `tables` and returns the statements that add them back. Adding a
 * foreign key checks all rows in one join instead of one lookup per row and key during COPY, and the data
 * is still fully checked before the transaction can commit.
 */
export async function dropForeignKeys(client: pg.Client, tables: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ table: string; name: string; definition: string }>(
    `select c.conrelid::regclass::text as table, quote_ident(c.conname) as name,
            pg_get_constraintdef(c.oid) as definition
       from pg_constraint c
      where c.contype = 'f'
        and (c.conrelid = any($1::regclass[]) or c.confrelid = any($1::regclass[]))
      order by c.oid`,
    [tables],
  );
  for (const { table, name } of rows) await client.query(`alter table ${table} drop constraint ${name}`);
  return rows.map(({ table, name, definition }) => `alter table ${table} add constraint ${name} ${definition}`);
}

export async function runAll(client: pg.Client, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await client.query(statement);
}
