// The API: one small router per domain.
import { router } from "../trpc/trpc.ts";
import { alertsRouter } from "./alerts.ts";
import { appointmentsRouter } from "./appointments.ts";
import { auditRouter } from "./audit.ts";
import { authRouter } from "./auth.ts";
import { clinicsRouter, servicesRouter, staffRouter } from "./catalog.ts";
import { patientsRouter } from "./patients.ts";
import { recallRouter } from "./recall.ts";

export const appRouter = router({
  auth: authRouter,
  patients: patientsRouter,
  appointments: appointmentsRouter,
  recall: recallRouter,
  alerts: alertsRouter,
  clinics: clinicsRouter,
  services: servicesRouter,
  staff: staffRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
