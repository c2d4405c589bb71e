// Walking pages, without a server: where the walk stops, and how it refuses to loop.
import { describe, expect, it } from "vitest";
import { allPages, type Page } from "../src/index.ts";

function pagesOf(pages: Page<number>[]) {
  const cursors: (string | null)[] = [];
  const fetchPage = async (cursor: string | null) => {
    cursors.push(cursor);
    const page = pages[cursors.length - 1];
    if (!page) throw new Error("asked for a page after the last");
    return page;
  };
  return { fetchPage, cursors };
}

describe("allPages", () => {
  it("starts without a cursor, passes each next cursor on, and stops at null", async () => {
    const { fetchPage, cursors } = pagesOf([
      { items: [1, 2], nextCursor: "a" },
      { items: [3, 4], nextCursor: "b" },
      { items: [5], nextCursor: null },
    ]);
    const items: number[] = [];
    for await (const page of allPages(fetchPage)) items.push(...page.items);
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(cursors).toEqual([null, "a", "b"]);
  });

  it("yields one empty page for an empty list", async () => {
    const { fetchPage } = pagesOf([{ items: [], nextCursor: null }]);
    const pages: Page<number>[] = [];
    for await (const page of allPages(fetchPage)) pages.push(page);
    expect(pages).toEqual([{ items: [], nextCursor: null }]);
  });

  it("stops with an error instead of looping on a page that does not advance", async () => {
    const empty = pagesOf([{ items: [], nextCursor: "a" }]);
    await expect(async () => {
      for await (const _ of allPages(empty.fetchPage));
    }).rejects.toThrow(/does not advance/);
    const repeated = pagesOf([
      { items: [1], nextCursor: "a" },
      { items: [2], nextCursor: "a" },
    ]);
    await expect(async () => {
      for await (const _ of allPages(repeated.fetchPage));
    }).rejects.toThrow(/does not advance/);
  });
});
