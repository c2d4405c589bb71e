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

export function repositoriesFor(em: EntityManager, request: RequestScope) {
  return {
    patients: em.getRepository<Patient, PatientRepository>(Patient).forRequest(request),
    appointments: em.getRepository<Appointment, AppointmentRepository>(Appointment).forRequest(request),
    alerts: em.getRepository<MedicalAlert, AlertRepository>(MedicalAlert).forRequest(request),
    audit: em.getRepository<AuditEntry, AuditRepository>(AuditEntry).forRequest(request),
    clinics: em.getRepository<Clinic, ClinicRepository>(Clinic).forRequest(request),
    services: em.getRepository<Service, ServiceRepository>(Service).forRequest(request),
    staff: em.getRepository<StaffMember, StaffMemberRepository>(StaffMember).forRequest(request),
  };
}

export type Repositories = ReturnType<typeof repositoriesFor>;
