// What the reference-data procedures accept. Pure zod, so the browser can import it.
import { z } from "zod";
import { recordId } from "../record-id.ts";

export const dentistListInput = z
  .object({
    /** Only dentists who work at this clinic (each still lists every clinic of theirs the caller may see). */
    clinicId: recordId.optional(),
  })
  .default({});

export type DentistListInput = z.infer<typeof dentistListInput>;
