// The clinics the signed-in staff member reaches (clinics.list, asked once and kept), by id: each one's name,
// and its phone number, whose country is the one its patients' numbers are read in.
import { useMemo } from "react";
import { type RouterOutputs, trpc } from "./trpc.ts";

export type ClinicFacts = RouterOutputs["clinics"]["list"][number];

export function useClinicFacts(): Map<number, ClinicFacts> {
  const clinics = trpc.clinics.list.useQuery(undefined, { staleTime: 10 * 60_000 });
  return useMemo(() => new Map((clinics.data ?? []).map((clinic) => [clinic.id, clinic] as const)), [clinics.data]);
}
