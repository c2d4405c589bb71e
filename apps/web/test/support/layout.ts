// What a layout test reads off the page: text a cell cuts, boxes outside the viewport, sideways scrolling, and
// words a line break splits.
import type { Locator, Page } from "playwright-core";

export interface CutText {
  column: string;
  text: string;
}

/**
 * The list's header and row cells whose text is cut: an element that clips (overflow other than visible) and
 * holds more than it shows (an ellipsis, a clamped line), or a row grown past its fixed height.
 */
export function cutListText(page: Page): Promise<CutText[]> {
  return page.evaluate(() => {
    const cut: CutText[] = [];
    const cells = document.querySelectorAll(
      "#patient-grid thead th[scope=col], #patient-grid tr.patient-row td, #patient-grid tr.patient-row td *",
    );
    for (const element of cells) {
      const style = getComputedStyle(element);
      if (style.overflowX === "visible" && style.overflowY === "visible") continue;
      if (element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight) {
        const over = `${element.scrollWidth - element.clientWidth}x${element.scrollHeight - element.clientHeight}`;
        cut.push({ column: element.closest("td, th")?.className ?? "", text: `${element.textContent} (${over} px)` });
      }
    }
    for (const row of document.querySelectorAll("#patient-grid tr.patient-row")) {
      if (row.getBoundingClientRect().height > 56.5) cut.push({ column: "row", text: row.textContent ?? "" });
    }
    return cut;
  });
}

/** The list's column headers, in order (without the sort arrows). */
export function columnHeaders(page: Page): Promise<string[]> {
  return page
    .locator("#patient-grid thead th[scope=col]")
    .evaluateAll((headers) => headers.map((header) => (header.textContent ?? "").replace(/[▲▼↕]/g, "").trim()));
}

/**
 * Where the element's box leaves the viewport's width (and, unless `anyHeight`, its height), as text; null when
 * it lies within.
 */
export async function outsideViewport(locator: Locator, { anyHeight = false } = {}): Promise<string | null> {
  return locator.evaluate((element, anyHeight) => {
    const box = element.getBoundingClientRect();
    const viewport = window.visualViewport ?? { width: innerWidth, height: innerHeight };
    const across = box.width > 0 && box.left >= -0.5 && box.right <= viewport.width + 0.5;
    const down = anyHeight || (box.top >= -0.5 && box.bottom <= viewport.height + 0.5);
    if (across && down) return null;
    const name = `${element.tagName.toLowerCase()} "${(element.textContent ?? "").slice(0, 30)}"`;
    return `${name} at x ${box.left}-${box.right}, y ${box.top}-${box.bottom} in ${viewport.width}x${viewport.height}`;
  }, anyHeight);
}

/** How far the page scrolls sideways (0: not at all). */
export function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scrolling = document.scrollingElement ?? document.documentElement;
    return Math.max(0, scrolling.scrollWidth - innerWidth, innerWidth - (window.visualViewport?.width ?? innerWidth));
  });
}

/** The words of the element's text that a line break splits in two ("Phon" / "e"). */
export function splitWords(locator: Locator): Promise<string[]> {
  return locator.evaluate((element) => {
    const split: string[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      for (const word of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1) split.push(word[0]);
      }
    }
    return split;
  });
}
