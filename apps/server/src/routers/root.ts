// The API: one small router per domain.
import { router } from "../trpc/trpc.ts";
import { authRouter } from "./auth.ts";
import { patientsRouter } from "./patients.ts";

export const appRouter = router({
  auth: authRouter,
  patients: patientsRouter,
});

export type AppRouter = typeof appRouter;
