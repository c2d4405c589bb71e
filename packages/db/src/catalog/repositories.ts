// The practice's reference data: clinics, services, and the dentists who take appointments.
import type { Clinic } from "../entities/clinic.ts";
import type { Service } from "../entities/service.ts";
import type { StaffMember } from "../entities/staff-member.ts";
import { ChairsideRepository } from "../repository.ts";
import type { DentistListInput } from "./input.ts";
import {
  type ClinicItem,
  type DentistItem,
  listClinics,
  listDentists,
  listServices,
  type ServiceItem,
} from "./reference-data.ts";

export class ClinicRepository extends ChairsideRepository<Clinic> {
  /** The clinics the caller works at (an owner: every clinic), by name. */
  list(): Promise<ClinicItem[]> {
    return listClinics(this.request, this.em);
  }
}

export class ServiceRepository extends ChairsideRepository<Service> {
  /** Every treatment offered, by category then name. */
  list(): Promise<ServiceItem[]> {
    return listServices(this.em);
  }
}

export class StaffMemberRepository extends ChairsideRepository<StaffMember> {
  /** Dentists taking appointments at the caller's clinics (optionally one clinic), by name. */
  dentists(input: DentistListInput): Promise<DentistItem[]> {
    return listDentists(this.request, this.em, input);
  }
}
