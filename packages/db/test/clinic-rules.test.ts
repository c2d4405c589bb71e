import { describe, expect, it } from "vitest";
import {
  ACTIVE_WINDOW_DAYS,
  activeSince,
  clinicDay,
  latestCompleted,
  localDate,
  patientStatus,
  startOfLocalDay,
} from "../src/clinic-rules.ts";

const MADRID = "Europe/Madrid";
const NEW_YORK = "America/New_York";
const day = 86_400_000;

describe("patient status", () => {
  const now = new Date("2026-06-15T10:00:00Z"); // noon in Madrid, 06:00 in New York

  it("is new without a completed visit", () => {
    expect(patientStatus(null, MADRID, now)).toBe("new");
  });

  it("is active at 729 and 730 days, inactive at 731", () => {
    expect(ACTIVE_WINDOW_DAYS).toBe(730);
    expect(patientStatus(new Date(now.getTime() - 729 * day), MADRID, now)).toBe("active");
    expect(patientStatus(new Date(now.getTime() - 730 * day), MADRID, now)).toBe("active");
    expect(patientStatus(new Date(now.getTime() - 731 * day), MADRID, now)).toBe("inactive");
  });

  it("counts calendar days in the clinic's time zone, not hours", () => {
    // 730 days ago at 23:59 Madrid time is still within the window; 731 days ago at 00:00 is not.
    const lateOnDay730 = new Date("2024-06-15T21:59:00Z"); // 23:59 CEST on 2024-06-15
    const earlyOnDay731 = new Date("2024-06-13T22:00:00Z"); // 00:00 CEST on 2024-06-14
    expect(localDate(lateOnDay730, MADRID)).toBe("2024-06-15");
    expect(patientStatus(lateOnDay730, MADRID, now)).toBe("active");
    expect(patientStatus(earlyOnDay731, MADRID, now)).toBe("inactive");
  });

  it("turns at the clinic's midnight, not UTC's", () => {
    // A visit on 2024-06-15 in New York. On 2026-06-15 it is 730 days old (active); at New York midnight
    // going into 2026-06-16 it becomes 731 days old, although UTC passed midnight four hours earlier.
    const visit = new Date("2024-06-15T15:00:00Z");
    const beforeNyMidnight = new Date("2026-06-16T03:59:00Z"); // 23:59 EDT, 2026-06-15
    const afterNyMidnight = new Date("2026-06-16T04:00:00Z"); // 00:00 EDT, 2026-06-16
    expect(patientStatus(visit, NEW_YORK, beforeNyMidnight)).toBe("active");
    expect(patientStatus(visit, NEW_YORK, afterNyMidnight)).toBe("inactive");
    // The same instants in Madrid are already 2026-06-16 in both cases.
    expect(patientStatus(visit, MADRID, beforeNyMidnight)).toBe("inactive");
  });

  it("agrees with the activeSince cutoff that queries filter on", () => {
    const zones = [MADRID, NEW_YORK, "Asia/Kolkata", "Pacific/Auckland", "America/Sao_Paulo", "UTC"];
    for (const zone of zones) {
      for (let hour = 0; hour < 48; hour += 5) {
        const instant = new Date(Date.UTC(2026, 2, 28) + hour * 3_600_000); // spans the EU DST change
        const cutoff = activeSince(zone, instant);
        expect(patientStatus(cutoff, zone, instant), `${zone} at ${instant.toISOString()}`).toBe("active");
        expect(patientStatus(new Date(cutoff.getTime() - 1), zone, instant)).toBe("inactive");
      }
    }
  });

  it("is the calendar-day count in the clinic's time zone at any hour, asked in any order", () => {
    // The rule as first stated (today's local date minus the visit's local date), against the cutoff that the
    // status is computed from and that is kept per local day: hours visited out of order, across DST changes.
    const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / day;
    const zones = [MADRID, NEW_YORK, "America/Santiago", "Pacific/Chatham", "Asia/Kolkata"];
    const hours = Array.from({ length: 96 }, (_, index) => (index * 37) % 96);
    for (const zone of zones) {
      for (const hour of hours) {
        const now = new Date(Date.UTC(2026, 2, 27) + hour * 3_600_000 + 59 * 60_000);
        for (const visitHoursAgo of [0, 17_519, 17_520, 17_521, 17_530, 17_545, 17_560, 17_600]) {
          const visit = new Date(now.getTime() - visitHoursAgo * 3_600_000);
          const expected =
            daysBetween(localDate(visit, zone), localDate(now, zone)) <= ACTIVE_WINDOW_DAYS ? "active" : "inactive";
          expect(patientStatus(visit, zone, now), `${zone}, ${visit.toISOString()} at ${now.toISOString()}`).toBe(
            expected,
          );
        }
      }
    }
  });
});

describe("clinicDay", () => {
  it("spans exactly the local day, 23 or 25 hours across DST changes", () => {
    const spring = clinicDay(MADRID, new Date("2026-03-29T12:00:00Z"));
    expect(spring.today).toBe("2026-03-29");
    expect(spring.ends - spring.starts).toBe(23 * 3_600_000);
    const autumn = clinicDay(NEW_YORK, new Date("2026-11-01T12:00:00Z"));
    expect(autumn.today).toBe("2026-11-01");
    expect(autumn.ends - autumn.starts).toBe(25 * 3_600_000);
    for (const [zone, known] of [
      [MADRID, spring],
      [NEW_YORK, autumn],
    ] as const) {
      expect(localDate(new Date(known.starts), zone)).toBe(known.today);
      expect(localDate(new Date(known.starts - 1), zone) < known.today).toBe(true);
      expect(localDate(new Date(known.ends - 1), zone)).toBe(known.today);
      expect(localDate(new Date(known.ends), zone) > known.today).toBe(true);
    }
  });

  it("is the next day from the clinic's midnight on", () => {
    const before = clinicDay(NEW_YORK, new Date("2026-06-16T03:59:59.999Z"));
    const after = clinicDay(NEW_YORK, new Date("2026-06-16T04:00:00Z"));
    expect([before.today, after.today]).toEqual(["2026-06-15", "2026-06-16"]);
    expect(after.activeSince.getTime()).toBeGreaterThan(before.activeSince.getTime());
    expect(clinicDay(NEW_YORK, new Date("2026-06-16T03:00:00Z")).today).toBe("2026-06-15");
  });
});

describe("startOfLocalDay", () => {
  it("is local midnight across DST changes", () => {
    expect(startOfLocalDay("2026-03-29", MADRID).toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfLocalDay("2026-03-30", MADRID).toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfLocalDay("2026-11-01", NEW_YORK).toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(startOfLocalDay("2026-11-02", NEW_YORK).toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });

  it("is the first instant of a day that begins inside a DST gap", () => {
    // Santiago skips 00:00-00:59 on 2026-09-06: the day begins at 01:00 local time.
    const start = startOfLocalDay("2026-09-06", "America/Santiago");
    expect(localDate(start, "America/Santiago")).toBe("2026-09-06");
    expect(localDate(new Date(start.getTime() - 1), "America/Santiago")).toBe("2026-09-05");
  });
});

describe("latestCompleted (the last-visit rule)", () => {
  const at = (iso: string) => new Date(iso);

  it("ignores appointments that were not completed", () => {
    expect(
      latestCompleted([
        { id: 1, startsAt: at("2026-01-01T09:00:00Z"), status: "completed" },
        { id: 2, startsAt: at("2026-02-01T09:00:00Z"), status: "cancelled" },
        { id: 3, startsAt: at("2026-03-01T09:00:00Z"), status: "confirmed" },
      ])?.id,
    ).toBe(1);
  });

  it("orders by when the visit took place, then by id", () => {
    expect(
      latestCompleted([
        { id: 5, startsAt: at("2026-03-01T09:00:00Z"), status: "completed" },
        { id: 4, startsAt: at("2026-03-01T09:00:00Z"), status: "completed" },
        { id: 9, startsAt: at("2025-03-01T09:00:00Z"), status: "completed" },
      ])?.id,
    ).toBe(5);
  });

  it("is null when nothing was completed", () => {
    expect(latestCompleted([])).toBeNull();
  });
});
