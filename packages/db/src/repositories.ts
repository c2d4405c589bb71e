// The data API a request works with (the mikro-orm guide's `Services`): each domain's repository, taken from
// the request's EntityManager and bound to the request once.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { AlertRepository } from "./alerts/repository.ts";
import type { AppointmentRepository } from "./appointments/repository.ts";
import type { AuditRepository } from "./audit/repository.ts";
import type { ClinicRepository, ServiceRepository, StaffMemberRepository } from "./catalog/repositories.ts";
import { Appointment, AuditEntry, Clinic, MedicalAlert, Patient, Service, StaffMember } from "./entities/index.ts";
import type { PatientRepository } from "./patients/repository.ts";
import type { RequestScope } from "./scope.ts";

/**
 * Each repository is taken and bound at its first use: a call uses one or two, and a fresh EntityManager builds
 * every repository it is asked for, which showed in the server's profile when each call took them all.
 */
export class Repositories {
  readonly #em: EntityManager;
  readonly #request: RequestScope;
  #patients: PatientRepository | undefined;
  #appointments: AppointmentRepository | undefined;
  #alerts: AlertRepository | undefined;
  #audit: AuditRepository | undefined;
  #clinics: ClinicRepository | undefined;
  #services: ServiceRepository | undefined;
  #staff: StaffMemberRepository | undefined;

  constructor(em: EntityManager, request: RequestScope) {
    this.#em = em;
    this.#request = request;
  }

  get patients(): PatientRepository {
    this.#patients ??= this.#em.getRepository<Patient, PatientRepository>(Patient).forRequest(this.#request);
    return this.#patients;
  }

  get appointments(): AppointmentRepository {
    this.#appointments ??= this.#em
      .getRepository<Appointment, AppointmentRepository>(Appointment)
      .forRequest(this.#request);
    return this.#appointments;
  }

  get alerts(): AlertRepository {
    this.#alerts ??= this.#em.getRepository<MedicalAlert, AlertRepository>(MedicalAlert).forRequest(this.#request);
    return this.#alerts;
  }

  get audit(): AuditRepository {
    this.#audit ??= this.#em.getRepository<AuditEntry, AuditRepository>(AuditEntry).forRequest(this.#request);
    return this.#audit;
  }

  get clinics(): ClinicRepository {
    this.#clinics ??= this.#em.getRepository<Clinic, ClinicRepository>(Clinic).forRequest(this.#request);
    return this.#clinics;
  }

  get services(): ServiceRepository {
    this.#services ??= this.#em.getRepository<Service, ServiceRepository>(Service).forRequest(this.#request);
    return this.#services;
  }

  get staff(): StaffMemberRepository {
    this.#staff ??= this.#em.getRepository<StaffMember, StaffMemberRepository>(StaffMember).forRequest(this.#request);
    return this.#staff;
  }
}

export function repositoriesFor(em: EntityManager, request: RequestScope): Repositories {
  return new Repositories(em, request);
}
