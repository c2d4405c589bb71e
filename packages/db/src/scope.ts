// What a request may see and at what instant: which clinics a caller reaches (the one rule every read and
// write of patient data applies) and the request's clock. Owners reach every clinic; other staff the clinics they
// work at. Outside them a patient or visit does not exist for the caller (NOT_FOUND, never "forbidden", which
// would reveal it), and nothing may be put there (FORBIDDEN).
import { type Expression, expressionBuilder, type SqlBool } from "kysely";
import { ChairsideError } from "./errors.ts";

export class ClinicScope {
  /** An owner's reach. */
  static readonly everyClinic = new ClinicScope(null);

  /** null for every clinic. */
  readonly clinicIds: readonly number[] | null;

  constructor(clinicIds: readonly number[] | null) {
    this.clinicIds = clinicIds;
  }

  reaches(clinicId: number): boolean {
    return this.clinicIds === null || this.clinicIds.includes(clinicId);
  }

  /** The clinics reached among those a filter asks for (all of them without one); null for every clinic. */
  within(clinicId: number | undefined): readonly number[] | null {
    if (clinicId === undefined) return this.clinicIds;
    return this.reaches(clinicId) ? [clinicId] : [];
  }

  /** A patient or a visit may only be put in a clinic the caller works at. */
  assertWorksAt(clinicId: number): void {
    if (!this.reaches(clinicId)) throw new ChairsideError("FORBIDDEN", `you do not work at clinic ${clinicId}`);
  }

  /** MikroORM's filter on an entity's clinic relation: undefined for every clinic. */
  get clinicFilter(): { $in: number[] } | undefined {
    return this.clinicIds === null ? undefined : { $in: [...this.clinicIds] };
  }
}

/** `column` among `clinicIds` as a condition (true for every clinic, false for none). */
export function inClinics(column: Expression<number>, clinicIds: readonly number[] | null): Expression<SqlBool> {
  if (clinicIds === null) return eb.lit(true);
  if (clinicIds.length === 0) return eb.lit(false);
  return clinicIds.length === 1 ? eb(column, "=", clinicIds[0] as number) : eb(column, "in", [...clinicIds]);
}
const eb = expressionBuilder();

/**
 * One request's view of the data, bound once per request to its repositories: its clock (every "today" and
 * "upcoming" of the request is taken at this instant), what the caller reaches, and the cursor secret.
 */
export interface RequestScope {
  now: Date;
  clinics: ClinicScope;
  /** Who acts: the signed-in staff member (null before signing in), named by what they note (a medical alert). */
  staffId: number | null;
  /** Set for dentists in appointment procedures: they may only book themselves and change their own visits. */
  onlyDentistId: number | null;
  /** Seals list cursors; the same on every instance. */
  cursorSecret: string;
  /** Every clinic's time zone, kept in memory (ClinicDirectory), so that the status tabs' per-clinic cutoffs
   *  cost no query of their own and a page stays one statement. */
  clinicTimeZones: ReadonlyMap<number, string>;
}
