// Registering a patient beside a family: which family the new record joins, and why a match was flagged.
import type { PatientMatch } from "@chairside/db";

/** The family a new patient joins, named by the member chosen. */
export interface ChosenFamily {
  id: number;
  name: string;
}

export const familyOfMatch = (match: PatientMatch): ChosenFamily => ({
  id: match.id,
  name: `${match.firstName} ${match.lastName}`,
});

/** Why the server thinks the match may be the same person (or shares their email), in words. */
export function matchReasons(match: PatientMatch): string {
  const reasons = [
    match.sameNameAndBirthday && "same name and date of birth",
    match.sameNameAndPhone && "same name and phone",
    match.sameNameAndEmail && "same name and email",
    match.sameEmail && !match.sameNameAndEmail && "same email",
  ].filter(Boolean);
  return reasons.join(", ");
}

export function ChosenFamilyNote({ family, onRemove }: { family: ChosenFamily; onRemove(): void }) {
  return (
    <p className="notice chosen-family" role="status">
      Registering in the family of <strong>{family.name}</strong>: they may share an email and phone.{" "}
      <button type="button" className="button button--small button--quiet" onClick={onRemove}>
        Not family
      </button>
    </p>
  );
}
