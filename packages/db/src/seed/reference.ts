// The small tables: clinics, services, staff (the demo accounts plus generated dentists) and who works where.
import type { StaffRole } from "../entities/staff-member.ts";
import { DAY_MS } from "./calendar.ts";
import { emailPart, FEMALE_NAMES, MALE_NAMES, SURNAMES } from "./names.ts";
import { CLINIC_PLACES } from "./places.ts";
import { type Random, weighted } from "./random.ts";

export interface DemoStaffAccount {
  email: string;
  password: string;
  role: StaffRole;
  name: string;
}

const DEMO_PASSWORD = "chairside-demo";

/** Accounts to sign in with after seeding: the owner sees every clinic, the others the first one. */
export const DEMO_STAFF: readonly DemoStaffAccount[] = Object.freeze([
  { email: "owner@chairside.test", password: DEMO_PASSWORD, role: "owner", name: "Olivia Hartmann" },
  { email: "reception@chairside.test", password: DEMO_PASSWORD, role: "receptionist", name: "Sofía Ramírez" },
  { email: "dentist@chairside.test", password: DEMO_PASSWORD, role: "dentist", name: "Daniel Okafor" },
]);

export interface ServiceSpec {
  name: string;
  category: string;
  durationMinutes: number;
  /** How often it is booked, relative to the others. */
  share: number;
}

export const SERVICES: readonly ServiceSpec[] = [
  { name: "Check-up and cleaning", category: "Preventive", durationMinutes: 45, share: 30 },
  { name: "Dental exam", category: "Preventive", durationMinutes: 30, share: 12 },
  { name: "X-rays", category: "Preventive", durationMinutes: 15, share: 6 },
  { name: "Fluoride treatment", category: "Preventive", durationMinutes: 15, share: 4 },
  { name: "Filling", category: "Restorative", durationMinutes: 45, share: 14 },
  { name: "Crown", category: "Restorative", durationMinutes: 90, share: 4 },
  { name: "Root canal", category: "Restorative", durationMinutes: 90, share: 4 },
  { name: "Extraction", category: "Surgery", durationMinutes: 45, share: 4 },
  { name: "Wisdom tooth removal", category: "Surgery", durationMinutes: 60, share: 2 },
  { name: "Implant placement", category: "Surgery", durationMinutes: 120, share: 1 },
  { name: "Braces adjustment", category: "Orthodontics", durationMinutes: 30, share: 8 },
  { name: "Clear aligner fitting", category: "Orthodontics", durationMinutes: 45, share: 2 },
  { name: "Teeth whitening", category: "Cosmetic", durationMinutes: 60, share: 3 },
  { name: "Veneers consultation", category: "Cosmetic", durationMinutes: 30, share: 1 },
];

/** Draws a service id (1-based, the insertion order above) by how often each is booked. */
export const drawServiceId = weighted(SERVICES.map((service, index) => [index + 1, service.share] as const));

export interface StaffRow {
  id: number;
  name: string;
  email: string;
  passwordHash: string;
  role: StaffRole;
  createdAt: string;
}

export interface Staffing {
  staff: StaffRow[];
  /** staff_member_clinics rows: [staffMemberId, clinicId]. */
  memberships: [number, number][];
  /** Dentist ids per clinic, indexed by clinic id - 1. */
  dentistsByClinic: number[][];
}

/**
 * The demo accounts first (ids 1..3), then 2-4 generated dentists per clinic. Every account gets the one
 * hash of the shared demo password: scrypt is deliberately slow, and hashing per account would dominate.
 */
export function generateStaff(random: Random, passwordHashes: ReadonlyMap<string, string>, firstDay: number): Staffing {
  const staff: StaffRow[] = [];
  const memberships: [number, number][] = [];
  const dentistsByClinic: number[][] = CLINIC_PLACES.map(() => []);
  const emails = new Set<string>();
  const demoHash = passwordHashes.get(DEMO_PASSWORD) as string;
  const hiredOn = (day: number) => new Date(day * DAY_MS + 9 * 3_600_000).toISOString();

  for (const account of DEMO_STAFF) {
    const id = staff.length + 1;
    staff.push({
      id,
      name: account.name,
      email: account.email,
      passwordHash: passwordHashes.get(account.password) as string,
      role: account.role,
      createdAt: hiredOn(firstDay),
    });
    emails.add(account.email);
    const clinicIds = account.role === "owner" ? CLINIC_PLACES.map((_, index) => index + 1) : [1];
    for (const clinicId of clinicIds) {
      memberships.push([id, clinicId]);
      if (account.role === "dentist") dentistsByClinic[clinicId - 1]?.push(id);
    }
  }

  CLINIC_PLACES.forEach((_, index) => {
    const clinicId = index + 1;
    for (let count = random.int(2, 4); count > 0; count--) {
      const first = random.pick(random.chance(0.5) ? FEMALE_NAMES : MALE_NAMES);
      const last = random.pick(SURNAMES);
      const base = `${emailPart(first)}.${emailPart(last)}`;
      let email = `${base}@chairside.test`;
      for (let suffix = 2; emails.has(email); suffix++) email = `${base}${suffix}@chairside.test`;
      emails.add(email);
      const id = staff.length + 1;
      staff.push({
        id,
        name: `${first} ${last}`,
        email,
        passwordHash: demoHash,
        role: "dentist",
        createdAt: hiredOn(firstDay + random.int(0, 365)),
      });
      memberships.push([id, clinicId]);
      dentistsByClinic[index]?.push(id);
    }
  });
  return { staff, memberships, dentistsByClinic };
}
