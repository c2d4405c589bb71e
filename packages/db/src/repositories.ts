// The data API a request works with (the mikro-orm guide's `Services`): each domain's repository, taken from
// the request's EntityManager and bound to the request once.
import type { EntityManager, EntityName } from "@mikro-orm/postgresql";
import type { AlertRepository } from "./alerts/repository.ts";
import type { AppointmentRepository } from "./appointments/repository.ts";
import type { AuditRepository } from "./audit/repository.ts";
import type { ClinicRepository, ServiceRepository, StaffMemberRepository } from "./catalog/repositories.ts";
import { Appointment, AuditEntry, Clinic, MedicalAlert, Patient, Service, StaffMember } from "./entities/index.ts";
import type { PatientRepository } from "./patients/repository.ts";
import type { ChairsideRepository } from "./repository.ts";
import type { RequestScope } from "./scope.ts";

/**
 * Each repository is taken and bound at its first use: a call uses one or two, and a fresh EntityManager builds
 * every repository it is asked for, which showed in the server's profile when each call took them all.
 */
export class Repositories {
  readonly #em: EntityManager;
  readonly #request: RequestScope;
  /** By entity: the repositories this call has taken. */
  readonly #bound = new Map<unknown, unknown>();

  constructor(em: EntityManager, request: RequestScope) {
    this.#em = em;
    this.#request = request;
  }

  get patients() {
    return this.#take<Patient, PatientRepository>(Patient);
  }

  get appointments() {
    return this.#take<Appointment, AppointmentRepository>(Appointment);
  }

  get alerts() {
    return this.#take<MedicalAlert, AlertRepository>(MedicalAlert);
  }

  get audit() {
    return this.#take<AuditEntry, AuditRepository>(AuditEntry);
  }

  get clinics() {
    return this.#take<Clinic, ClinicRepository>(Clinic);
  }

  get services() {
    return this.#take<Service, ServiceRepository>(Service);
  }

  get staff() {
    return this.#take<StaffMember, StaffMemberRepository>(StaffMember);
  }

  #take<Entity extends object, Repository extends ChairsideRepository<Entity>>(entity: EntityName<Entity>): Repository {
    const bound = this.#bound.get(entity);
    if (bound) return bound as Repository;
    const repository = (this.#em.getRepository<Entity, Repository>(entity) as Repository).forRequest(this.#request);
    this.#bound.set(entity, repository);
    return repository;
  }
}

export function repositoriesFor(em: EntityManager, request: RequestScope): Repositories {
  return new Repositories(em, request);
}
