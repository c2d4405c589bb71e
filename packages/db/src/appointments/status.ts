// Moving a visit through the day: confirmed, waiting, completed, cancelled, missed... and back when the front
// desk corrects a mistake. The patient's last visit follows in the same transaction (the last_visit trigger).
import type { EntityManager } from "@mikro-orm/postgresql";
import { Service } from "../entities/index.ts";
import type { RequestScope } from "../scope.ts";
import { appointmentToChange } from "./access.ts";
import { lockDiary, refuseClash } from "./diary.ts";
import type { SetAppointmentStatusInput } from "./input.ts";
import { type AppointmentChange, readAppointmentChange } from "./items.ts";
import { occupiesChair } from "./statuses.ts";

export async function setAppointmentStatus(
  request: RequestScope,
  em: EntityManager,
  input: SetAppointmentStatusInput,
): Promise<AppointmentChange> {
  const now = request.now;
  return em.transactional(async (tx) => {
    const appointment = await appointmentToChange(request, tx, input.id);
    const was = appointment.status;
    // Reinstating a cancelled or missed visit takes its slot back, which must still be free.
    if (!occupiesChair(was) && occupiesChair(input.status)) {
      await lockDiary(tx, appointment.dentist.id);
      const service = await tx.findOneOrFail(Service, appointment.service.id);
      await refuseClash(tx, {
        dentistId: appointment.dentist.id,
        startsAt: appointment.startsAt,
        durationMinutes: service.durationMinutes,
        appointmentId: appointment.id,
      });
    }
    appointment.status = input.status;
    // Completing records when; completing again keeps the first time; any other status clears it.
    if (input.status !== "completed") appointment.completedAt = null;
    else if (was !== "completed" || !appointment.completedAt) appointment.completedAt = now;
    await tx.flush();
    return readAppointmentChange(request, tx, appointment.id);
  });
}
