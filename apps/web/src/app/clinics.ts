// The clinics the signed-in staff member reaches (clinics.list, asked once and kept), by id: each one's name,
// and the country its phone numbers are read in.

import type { CountryCode } from "libphonenumber-js/min";
import { useMemo } from "react";
import { clinicCountry } from "../ui/format.ts";
import { trpc } from "./trpc.ts";

export interface ClinicFacts {
  name: string;
  country: CountryCode;
}

export function useClinicFacts(): Map<number, ClinicFacts> {
  const clinics = trpc.clinics.list.useQuery(undefined, { staleTime: 10 * 60_000 });
  return useMemo(
    () =>
      new Map(
        (clinics.data ?? []).map(
          (clinic) => [clinic.id, { name: clinic.name, country: clinicCountry(clinic.phone) }] as const,
        ),
      ),
    [clinics.data],
  );
}
