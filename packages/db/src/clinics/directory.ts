// Every clinic's time zone, kept in memory. The patient list needs each clinic's "today" to turn the status
// tabs into index ranges; reading it from the database on each page would make a page two statements.
// Clinics change rarely: the directory reloads every REFRESH_MS and whenever told to.
import { Clinic } from "../entities/index.ts";
import type { ChairsideOrm } from "../orm.ts";

const REFRESH_MS = 60_000;

export class ClinicDirectory {
  readonly #orm: ChairsideOrm;
  #timeZones: ReadonlyMap<number, string> = new Map();
  #timer: NodeJS.Timeout | undefined;

  private constructor(orm: ChairsideOrm) {
    this.#orm = orm;
  }

  static async load(orm: ChairsideOrm): Promise<ClinicDirectory> {
    const directory = new ClinicDirectory(orm);
    await directory.refresh();
    directory.#timer = setInterval(() => directory.refresh().catch(() => {}), REFRESH_MS).unref();
    return directory;
  }

  get timeZones(): ReadonlyMap<number, string> {
    return this.#timeZones;
  }

  async refresh(): Promise<void> {
    const clinics = await this.#orm.em.fork().find(Clinic, {}, { fields: ["timeZone"] });
    this.#timeZones = new Map(clinics.map((clinic) => [clinic.id, clinic.timeZone]));
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
