// From what the policy granted to the clinics a query may touch.
import type { ClinicScope } from "@chairside/db";
import { TRPCError } from "@trpc/server";
import type { Grant } from "../trpc/trpc.ts";

export function scopeOf(grant: Grant | null): ClinicScope {
  if (!grant) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  return { clinicIds: grant.clinicIds };
}
