// The naive patient list Chairside replaces, kept in the bench only, never in the product: OFFSET pages
// ordered by last name, then one query per patient for their last completed visit, the status computed in
// JavaScript and written back to the row on every read. Runs on the naive copy (no secondary indexes).
import { ageOn, localDate, type PatientListItem, patientStatus } from "@chairside/db";
import type pg from "pg";

export const NAIVE_PAGE_SIZE = 50;

/** What the naive list showed: the row without the order values a client places changed rows by. */
type NaiveListItem = Omit<PatientListItem, "order">;

interface PatientRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  birthday: string | null;
  archived_at: Date | null;
  created_at: Date;
  clinic_id: number;
  clinic_name: string;
  time_zone: string;
}

interface VisitRow {
  starts_at: Date;
  service: string;
  dentist: string;
}

export async function naiveListPatients(
  pool: pg.Pool,
  page: number,
  search: string | null,
  now: Date,
): Promise<NaiveListItem[]> {
  const params: unknown[] = [NAIVE_PAGE_SIZE, page * NAIVE_PAGE_SIZE];
  // Search matches what Chairside's text terms do (names, email, phone digits; accents, case and marks ignored),
  // computed for every row at query time.
  const searchSql = search
    ? `and patient_search_text(p.first_name, p.last_name, p.email, p.phone) like '%' || search_key($${params.push(search)}) || '%'`
    : "";
  const { rows: patients } = await pool.query<PatientRow>(
    `select p.id, p.first_name, p.last_name, p.email, p.phone, p.birthday::text as birthday, p.archived_at, p.created_at,
            c.id as clinic_id, c.name as clinic_name, c.time_zone
       from patient p join clinic c on c.id = p.clinic_id
      where p.archived_at is null ${searchSql}
      order by p.last_name, p.first_name, p.id
      limit $1 offset $2`,
    params,
  );

  const items: NaiveListItem[] = [];
  for (const patient of patients) {
    const { rows } = await pool.query<VisitRow>(
      `select a.starts_at, s.name as service, d.name as dentist
         from appointment a join service s on s.id = a.service_id join staff_member d on d.id = a.dentist_id
        where a.patient_id = $1 and a.status = 'completed'
        order by a.starts_at desc, a.id desc
        limit 1`,
      [patient.id],
    );
    const visit = rows[0];
    const status = patientStatus(visit?.starts_at ?? null, patient.time_zone, now);
    await pool.query("update patient set naive_status = $1 where id = $2", [status, patient.id]);
    items.push({
      id: patient.id,
      firstName: patient.first_name,
      lastName: patient.last_name,
      email: patient.email,
      phone: patient.phone,
      birthday: patient.birthday,
      age: ageOn(patient.birthday, localDate(now, patient.time_zone)),
      status,
      clinicId: patient.clinic_id,
      archived: patient.archived_at !== null,
      addedOn: localDate(patient.created_at, patient.time_zone),
      lastVisit: visit
        ? { on: localDate(visit.starts_at, patient.time_zone), service: visit.service, dentist: visit.dentist }
        : null,
      // The naive list predates medical alerts: it shows no badge.
      alertKinds: [],
    });
  }
  return items;
}
