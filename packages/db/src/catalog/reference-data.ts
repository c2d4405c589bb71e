// The practice's reference data for filters and forms: clinics, services, and the dentists who take
// appointments. Staff of some clinics see those clinics only, and a dentist's other clinics stay hidden.
import type { EntityManager } from "@mikro-orm/postgresql";
import { Clinic, Service } from "../entities/index.ts";
import { type ClinicScope, visibleClinics } from "../patients/filters.ts";
import type { DentistListInput } from "./input.ts";

export interface ClinicItem {
  id: number;
  name: string;
  address: string;
  phone: string;
  /** IANA time zone: what "today" means for the clinic's patients. */
  timeZone: string;
}

export interface ServiceItem {
  id: number;
  name: string;
  category: string;
  durationMinutes: number;
}

export interface DentistItem {
  id: number;
  name: string;
  /** The clinics they work at, among those the caller may see. */
  clinicIds: number[];
}

export async function listClinics(em: EntityManager, scope: ClinicScope): Promise<ClinicItem[]> {
  const clinics = await em.find(Clinic, scope.clinicIds === null ? {} : { id: { $in: [...scope.clinicIds] } }, {
    orderBy: { name: "asc", id: "asc" },
  });
  return clinics.map(({ id, name, address, phone, timeZone }) => ({ id, name, address, phone, timeZone }));
}

export async function listServices(em: EntityManager): Promise<ServiceItem[]> {
  const services = await em.find(Service, {}, { orderBy: { category: "asc", name: "asc", id: "asc" } });
  return services.map(({ id, name, category, durationMinutes }) => ({ id, name, category, durationMinutes }));
}

/** Dentists who take appointments (not archived), by name. */
export async function listDentists(
  em: EntityManager,
  input: DentistListInput,
  scope: ClinicScope,
): Promise<DentistItem[]> {
  const visible = scope.clinicIds;
  const wanted = visibleClinics(scope, input.clinicId);
  if (wanted?.length === 0) return [];
  const rows = await em.execute<{ id: number; name: string; clinic_ids: number[] }[]>(
    `select m.id, m.name, array_agg(mc.clinic_id order by mc.clinic_id) as clinic_ids
      from staff_member m
      join staff_member_clinics mc on mc.staff_member_id = m.id
      where m.role = 'dentist' and not m.archived ${visible ? "and mc.clinic_id in (?)" : ""}
      group by m.id, m.name
      ${input.clinicId === undefined ? "" : "having bool_or(mc.clinic_id = ?)"}
      order by m.name, m.id`,
    [...(visible ? [visible] : []), ...(input.clinicId === undefined ? [] : [input.clinicId])],
  );
  return rows.map((row) => ({ id: row.id, name: row.name, clinicIds: row.clinic_ids }));
}
