// The truth the browser tests compare the screen with: the seeded practice, read straight from PostgreSQL
// in the list's own orders.
import type { TestDatabase } from "@chairside/db/testing";

export interface PatientRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  birthday: string | null;
  clinic_id: number;
}

const COLUMNS = `id, first_name, last_name, email, phone, to_char(birthday, 'YYYY-MM-DD') as birthday, clinic_id`;

/** The first `count` current (not archived) patients in the list's default order (name, then id). */
export async function patientsByName(db: TestDatabase, count: number, offset = 0): Promise<PatientRow[]> {
  return db.sql<PatientRow>(
    `select ${COLUMNS} from patient where archived_at is null order by search_last_name, search_first_name, id limit $1 offset $2`,
    [count, offset],
  );
}

export async function patientById(db: TestDatabase, id: number): Promise<PatientRow> {
  const [row] = await db.sql<PatientRow>(`select ${COLUMNS} from patient where id = $1`, [id]);
  if (!row) throw new Error(`no patient ${id}`);
  return row;
}

/** A current patient whose first and last name are shared by nobody else, at a position deep in the list. */
export async function uniquelyNamedPatient(db: TestDatabase, atLeastPosition: number): Promise<PatientRow> {
  const [row] = await db.sql<PatientRow>(
    `select ${COLUMNS} from (
       select p.*, row_number() over (order by search_last_name, search_first_name, id) as position,
              count(*) over (partition by lower(first_name), lower(last_name)) as namesakes
         from patient p where archived_at is null
     ) ranked
     where position > $1 and namesakes = 1
     order by position limit 1`,
    [atLeastPosition],
  );
  if (!row) throw new Error("no uniquely named patient deep in the list");
  return row;
}

/** The first current patient in an order the list offers (for checking a sort's first row). */
export async function firstPatientBy(db: TestDatabase, orderBy: string): Promise<number> {
  const [row] = await db.sql<{ id: number }>(
    `select id from patient where archived_at is null order by ${orderBy} limit 1`,
  );
  if (!row) throw new Error("no patients");
  return row.id;
}

/**
 * Hands out patients from the first page of the default list, a different one at each call, so that the
 * tests of one file do not edit each other's patient. `db` is read at each call (it exists once the file's
 * Chairside runs).
 */
export function distinctPatients(db: () => TestDatabase): () => Promise<PatientRow> {
  let next = 0;
  return async () => {
    const [patient] = await patientsByName(db(), 1, 3 + next++ * 2);
    if (!patient) throw new Error("seed too small");
    return patient;
  };
}
