// The practice's reference data: clinics, services and dentists, for filters and forms.
import { router } from "../trpc/trpc.ts";

export const clinicsRouter = router({});
export const servicesRouter = router({});
export const staffRouter = router({});
