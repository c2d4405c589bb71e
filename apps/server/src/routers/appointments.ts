// Appointments: a patient's history, booking, status changes (which keep the last visit right), rescheduling.
import { router } from "../trpc/trpc.ts";

export const appointmentsRouter = router({});
