// The change feed's memory: a follower coming back within the recent window gets exactly what it missed, from
// further back it is told to fetch its lists again, and so is everyone when the listener missed announcements.
import { describe, expect, it } from "vitest";
import { PatientChangeFeed } from "../src/patients/changes.ts";

const announce = (feed: PatientChangeFeed, patientId: number, clinicId = 1) =>
  feed.channel.onNotice(JSON.stringify({ patientId, clinicId }));

/** The first `count` events a follower gets (then it stops following). */
async function firstEvents(feed: PatientChangeFeed, count: number, lastEventId?: string) {
  const aborts = new AbortController();
  const events: { id: string; event: unknown }[] = [];
  for await (const event of feed.follow({ lastEventId, signal: aborts.signal })) {
    events.push(event);
    if (events.length === count) break;
  }
  return events;
}

describe("the patient change feed", () => {
  it("replays what a returning follower missed within its window, and only that", async () => {
    const feed = new PatientChangeFeed(3);
    const [following] = await firstEvents(feed, 1);
    expect(following?.event).toEqual({ kind: "following" });
    for (const id of [11, 12]) announce(feed, id);
    const missed = await firstEvents(feed, 2, following?.id);
    expect(missed.map(({ event }) => event)).toEqual([
      { kind: "changed", patientId: 11, clinicId: 1 },
      { kind: "changed", patientId: 12, clinicId: 1 },
    ]);
  });

  it("tells a follower from beyond the window, or from another instance, to fetch its lists again", async () => {
    const feed = new PatientChangeFeed(2);
    const [following] = await firstEvents(feed, 1);
    for (const id of [1, 2, 3, 4, 5, 6, 7]) announce(feed, id);
    expect((await firstEvents(feed, 1, following?.id))[0]?.event).toEqual({ kind: "missed" });
    expect((await firstEvents(feed, 1, "another-instance.3"))[0]?.event).toEqual({ kind: "missed" });
    // Within the window it still replays.
    const recent = await firstEvents(feed, 1, feed.position.replace(/\d+$/, "6"));
    expect(recent[0]?.event).toEqual({ kind: "changed", patientId: 7, clinicId: 1 });
  });

  it("tells live followers when announcements were missed, and ignores a payload that is not ids", async () => {
    const feed = new PatientChangeFeed();
    const following = firstEvents(feed, 3);
    await Promise.resolve();
    feed.channel.onNotice("not json");
    feed.channel.onMissed();
    announce(feed, 9, 2);
    expect((await following).map(({ event }) => event)).toEqual([
      { kind: "following" },
      { kind: "missed" },
      { kind: "changed", patientId: 9, clinicId: 2 },
    ]);
  });
});
