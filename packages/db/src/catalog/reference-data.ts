// The practice's reference data for filters and forms: clinics, services, and the dentists who take
// appointments. Staff of some clinics see those clinics only, and a dentist's other clinics stay hidden.
import type { EntityManager } from "@mikro-orm/postgresql";
import { Clinic, Service } from "../entities/index.ts";
import { rowsOf, sqlFor } from "../postgres/sql.ts";
import type { RequestScope } from "../scope.ts";
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

export async function listClinics(request: RequestScope, em: EntityManager): Promise<ClinicItem[]> {
  const clinic = request.clinics.clinicFilter;
  const clinics = await em.find(Clinic, clinic ? { id: clinic } : {}, { orderBy: { name: "asc", id: "asc" } });
  return clinics.map(({ id, name, address, phone, timeZone }) => ({ id, name, address, phone, timeZone }));
}

export async function listServices(em: EntityManager): Promise<ServiceItem[]> {
  const services = await em.find(Service, {}, { orderBy: { category: "asc", name: "asc", id: "asc" } });
  return services.map(({ id, name, category, durationMinutes }) => ({ id, name, category, durationMinutes }));
}

/** Dentists who take appointments (not archived), by name, with the clinics the caller may see. */
export async function listDentists(
  request: RequestScope,
  em: EntityManager,
  input: DentistListInput,
): Promise<DentistItem[]> {
  const visible = request.clinics.clinicIds;
  const wanted = request.clinics.within(input.clinicId);
  if (wanted?.length === 0) return [];
  const query = sqlFor(em)
    .selectFrom("staff_member as m")
    .innerJoin("staff_member_clinics as mc", "mc.staff_member_id", "m.id")
    .select((eb) => [
      "m.id",
      "m.name",
      eb.fn.agg<number[]>("array_agg", ["mc.clinic_id"]).orderBy("mc.clinic_id").as("clinic_ids"),
    ])
    .where("m.role", "=", "dentist")
    .where("m.archived", "=", false)
    .$if(visible !== null, (q) => q.where("mc.clinic_id", "in", [...(visible ?? [])]))
    .groupBy(["m.id", "m.name"])
    .$if(input.clinicId !== undefined, (q) =>
      q.having((eb) => eb.fn<boolean>("bool_or", [eb("mc.clinic_id", "=", input.clinicId as number)]), "=", true),
    )
    .orderBy("m.name")
    .orderBy("m.id");
  const rows = await rowsOf(em, query);
  return rows.map((row) => ({ id: row.id, name: row.name, clinicIds: row.clinic_ids }));
}
