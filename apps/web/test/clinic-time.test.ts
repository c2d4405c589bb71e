// The visit form's time is the clinic's wall clock: its conversion to and from the instant the API takes, checked
// against PostgreSQL's own time-zone rules, across the days the clocks change.
import { createTestDatabase, type TestDatabase } from "@chairside/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clinicWallClock, instantAtClinicTime } from "../src/features/appointment-booking/clinic-time.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** What PostgreSQL makes of a wall-clock time in a zone. */
async function postgresInstant(date: string, time: string, timeZone: string): Promise<Date> {
  const [row] = await db.sql<{ at: Date }>("select ($1 || ' ' || $2)::timestamp at time zone $3 as at", [
    date,
    time,
    timeZone,
  ]);
  return new Date(row?.at as Date);
}

describe("the clinic's wall clock", () => {
  const cases: [date: string, time: string, timeZone: string][] = [
    ["2027-01-15", "09:30", "America/New_York"],
    ["2027-07-15", "09:30", "America/New_York"],
    ["2027-07-15", "00:05", "Europe/Madrid"],
    ["2027-03-28", "23:55", "Europe/Madrid"],
    ["2027-11-07", "01:30", "America/Chicago"], // the hour the clocks repeat: its second time
    ["2027-03-14", "03:00", "America/New_York"], // just after the skipped hour
    ["2027-04-04", "02:30", "Pacific/Auckland"], // repeated in the southern autumn
  ];
  it("names the instant PostgreSQL names, and reads back as the same day and time", async () => {
    for (const [date, time, timeZone] of cases) {
      const instant = instantAtClinicTime(date, time, timeZone);
      expect(instant, `${date} ${time} ${timeZone}`).toEqual(await postgresInstant(date, time, timeZone));
      expect(clinicWallClock(instant as Date, timeZone)).toEqual({ date, time });
    }
  });

  it("has no instant for a time the clocks skip", () => {
    expect(instantAtClinicTime("2027-03-14", "02:30", "America/New_York")).toBeNull();
    expect(instantAtClinicTime("2027-03-28", "02:15", "Europe/Madrid")).toBeNull();
    expect(instantAtClinicTime("2027-03-14", "", "America/New_York")).toBeNull();
  });
});
