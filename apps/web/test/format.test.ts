// How counts read on screen (no browser needed).
import { describe, expect, it } from "vitest";
import { formatTabCount } from "../src/ui/format.ts";

describe("a tab's count", () => {
  const number = new Intl.NumberFormat();
  it("reads as counted below the limit, and as at least the limit once counting stopped there", () => {
    expect(formatTabCount(0, 10_000)).toBe("0");
    expect(formatTabCount(9_999, 10_000)).toBe(number.format(9_999));
    expect(formatTabCount(10_000, 10_000)).toBe(`${number.format(10_000)}+`);
  });
});
