// Medical alert rows (as COPY text): about one patient in eight has some, mostly allergies, a few removed or
// corrected since (so the history has something to show). Drawn from the plans the patient pass left behind.
import type { AlertKind } from "../alerts/input.ts";
import { ChunkBuffer, field, instant } from "./copy-text.ts";
import type { PatientPlans, SeedCalendar } from "./patients.ts";
import { type Random, weighted } from "./random.ts";

export const ALERT_COLUMNS = [
  "id",
  "patient_id",
  "kind",
  "text",
  "noted_at",
  "noted_by_id",
  "replaces_id",
  "removed_at",
  "removed_by_id",
] as const;

/** What the front desk and the dentists write, by kind. */
const ALERT_TEXTS: Record<AlertKind, readonly string[]> = {
  allergy: [
    "Penicillin",
    "Penicillin (rash)",
    "Latex",
    "Latex: use nitrile gloves",
    "Amoxicillin",
    "Ibuprofen and other NSAIDs",
    "Aspirin",
    "Codeine",
    "Chlorhexidine mouthwash",
    "Articaine",
    "Nickel",
    "Iodine",
  ],
  condition: [
    "Type 2 diabetes",
    "Type 1 diabetes",
    "High blood pressure",
    "Asthma",
    "Takes warfarin (anticoagulant): check INR",
    "Takes apixaban (anticoagulant)",
    "Epilepsy",
    "Pregnant",
    "Bisphosphonates (osteoporosis)",
    "Heart pacemaker",
    "Hepatitis B",
    "Anxious patient: explain each step",
  ],
  premedication: [
    "Antibiotic prophylaxis: prosthetic heart valve",
    "Amoxicillin 2 g one hour before treatment",
    "Clindamycin 600 mg one hour before treatment (penicillin allergy)",
    "Inhaler before treatment",
    "Sedation before extractions",
  ],
};

const drawKind = weighted<AlertKind>([
  ["allergy", 55],
  ["condition", 33],
  ["premedication", 12],
]);
const drawCount = weighted([
  [1, 70],
  [2, 24],
  [3, 6],
]);

/** A whole second in [from, to]. */
const between = (random: Random, from: number, to: number) =>
  from + Math.floor((random.next() * Math.max(0, to - from)) / 1000) * 1000;

/**
 * Yields alert rows as COPY text chunks, ids 1..N in patient order, and counts them in `written`. Each is noted
 * (and removed or corrected) by staff of the patient's clinic.
 */
export function* alertChunks(
  random: Random,
  calendar: SeedCalendar,
  notersByClinic: readonly (readonly number[])[],
  plans: PatientPlans,
  written: { alerts: number },
): Generator<string> {
  const buffer = new ChunkBuffer(2_000);
  const { nowMs } = calendar;
  let id = 0;
  for (let index = 0; index < plans.clinicIndex.length; index++) {
    if (!random.chance(0.12)) continue;
    const noters = notersByClinic[plans.clinicIndex[index] as number] ?? [1];
    const createdAt = plans.createdAt[index] as number;
    for (let count = drawCount(random); count > 0; count--) {
      const kind = drawKind(random);
      const text = random.pick(ALERT_TEXTS[kind]);
      const notedAt = between(random, createdAt, nowMs);
      const notedBy = random.pick(noters);
      const fate = random.next();
      id++;
      if (fate < 0.06) {
        // Removed since (no longer true, or noted in error).
        const removedAt = between(random, notedAt, nowMs);
        buffer.push(row(id, index + 1, kind, text, notedAt, notedBy, null, removedAt, random.pick(noters)));
      } else if (fate < 0.1) {
        // Corrected since: the first wording removed, its successor current.
        const correctedAt = between(random, notedAt, nowMs);
        const correctedBy = random.pick(noters);
        const first = random.pick(ALERT_TEXTS[kind]);
        buffer.push(row(id, index + 1, kind, first, notedAt, notedBy, null, correctedAt, correctedBy));
        id++;
        buffer.push(row(id, index + 1, kind, text, correctedAt, correctedBy, id - 1, null, null));
      } else {
        buffer.push(row(id, index + 1, kind, text, notedAt, notedBy, null, null, null));
      }
    }
    if (buffer.full) yield buffer.take();
  }
  written.alerts = id;
  if (buffer.size) yield buffer.take();
}

function row(
  id: number,
  patientId: number,
  kind: AlertKind,
  text: string,
  notedAt: number,
  notedBy: number,
  replaces: number | null,
  removedAt: number | null,
  removedBy: number | null,
): string {
  return [
    id,
    patientId,
    kind,
    field(text),
    instant(notedAt),
    notedBy,
    replaces ?? "\\N",
    instant(removedAt),
    removedBy ?? "\\N",
  ].join("\t");
}
