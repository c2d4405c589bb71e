// Every clinic's time zone, kept in memory. The patient list needs each clinic's "today" to turn the status
// tabs into index ranges; reading it from the database on each page would make a page two statements.
// Clinics change rarely: the directory reloads every REFRESH_MS and whenever told to.
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
    const rows = await this.#orm.em
      .getConnection()
      .execute<{ id: number; time_zone: string }[]>("select id, time_zone from clinic");
    this.#timeZones = new Map(rows.map((row) => [row.id, row.time_zone]));
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
