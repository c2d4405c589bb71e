/// <reference lib="dom" />
// What `pnpm bench:browser` reads inside the page, on the page's own clock (performance.now(), 0 = navigation
// start): when the search's last key was pressed, when the rows a search should show were painted, and the
// first open's resource timings. "Painted" is the first moment after a frame that showed the rows: a message
// posted from the frame's requestAnimationFrame runs once that frame has been produced.
import type { Page } from "playwright-core";

export interface FirstOpen {
  /** The document's response ends. */
  document: number;
  /** The last script the first paint needed has arrived. */
  scripts: number;
  session: { start: number; end: number } | null;
  list: { start: number; end: number } | null;
  rowsPainted: number;
  /** The same-origin scripts and stylesheets fetched before the rows were painted (paths). */
  assets: string[];
}

interface ProbeState {
  rowsPaintedAt: number | null;
  lastKeyAt: number | null;
  /** When set: the ids the rows must start with (and the search the URL must hold) to count as the answer. */
  awaiting: { ids: number[]; search: string } | null;
  answeredAt: number | null;
}
type ProbeWindow = Window & { __benchProbe: ProbeState };

/** Installs the probe before any of the page's scripts run (call once per page, before navigating). */
export async function installProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const state: ProbeState = { rowsPaintedAt: null, lastKeyAt: null, awaiting: null, answeredAt: null };
    (window as unknown as ProbeWindow).__benchProbe = state;
    const afterPaint = (record: (at: number) => void) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => record(performance.now());
        channel.port2.postMessage(null);
      });
    window.addEventListener(
      "keydown",
      (event) => {
        state.lastKeyAt = event.timeStamp;
      },
      true,
    );
    const check = () => {
      const grid = document.getElementById("patient-grid");
      const rowIds = () =>
        Array.from(document.querySelectorAll("#patient-grid tr.patient-row"), (row) =>
          Number(row.getAttribute("data-patient-id")),
        );
      if (state.rowsPaintedAt === null && document.querySelector("#patient-grid tr.patient-row")) {
        state.rowsPaintedAt = -1;
        afterPaint((at) => {
          state.rowsPaintedAt = at;
        });
      }
      const awaiting = state.awaiting;
      if (!awaiting || state.answeredAt !== null || !grid || grid.getAttribute("aria-busy") !== "false") return;
      if (new URLSearchParams(window.location.search).get("q") !== awaiting.search) return;
      const ids = rowIds();
      if (ids.length < awaiting.ids.length || awaiting.ids.some((id, index) => ids[index] !== id)) return;
      state.answeredAt = -1;
      afterPaint((at) => {
        state.answeredAt = at;
      });
    };
    new MutationObserver(check).observe(document, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["aria-busy"],
    });
  });
}

/** The ids of the first `count` rows on screen. */
export function shownIds(page: Page, count: number): Promise<number[]> {
  return page.evaluate(
    (count) =>
      Array.from(document.querySelectorAll("#patient-grid tr.patient-row"), (row) =>
        Number(row.getAttribute("data-patient-id")),
      ).slice(0, count),
    count,
  );
}

/** From now on, wait for these rows under this search. */
export function awaitRows(page: Page, ids: number[], search: string): Promise<void> {
  return page.evaluate(
    ({ ids, search }) => {
      const state = (window as unknown as ProbeWindow).__benchProbe;
      state.awaiting = { ids, search };
      state.answeredAt = null;
    },
    { ids, search },
  );
}

/** Milliseconds from the last key to the awaited rows painted (waits for them). */
export async function keyToRows(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const state = (window as unknown as ProbeWindow).__benchProbe;
      return state.answeredAt !== null && state.answeredAt >= 0 && state.lastKeyAt !== null
        ? state.answeredAt - state.lastKeyAt
        : null;
    },
    undefined,
    { timeout: 30_000, polling: 20 },
  );
  return (await handle.jsonValue()) as number;
}

/** The first open's timeline (waits until the first rows have been painted). */
export async function firstOpen(page: Page): Promise<FirstOpen> {
  await page.waitForFunction(
    () => ((window as unknown as ProbeWindow).__benchProbe.rowsPaintedAt ?? -1) >= 0,
    undefined,
    {
      timeout: 30_000,
      polling: 20,
    },
  );
  return page.evaluate(() => {
    const rowsPainted = (window as unknown as ProbeWindow).__benchProbe.rowsPaintedAt as number;
    const [navigation] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    const sameOrigin = (entry: PerformanceResourceTiming) => new URL(entry.name).origin === window.location.origin;
    const before = resources.filter((entry) => sameOrigin(entry) && entry.startTime < rowsPainted);
    const assets = before.filter((entry) => /\.(js|css)$/.test(new URL(entry.name).pathname));
    const scripts = assets.filter((entry) => new URL(entry.name).pathname.endsWith(".js"));
    const call = (procedure: string) => {
      const entry = before.find((candidate) =>
        decodeURIComponent(new URL(candidate.name).pathname).split("/").at(-1)?.split(",").includes(procedure),
      );
      return entry ? { start: entry.startTime, end: entry.responseEnd } : null;
    };
    return {
      document: navigation?.responseEnd ?? 0,
      scripts: Math.max(0, ...scripts.map((entry) => entry.responseEnd)),
      session: call("auth.me"),
      list: call("patients.list"),
      rowsPainted,
      assets: assets.map((entry) => new URL(entry.name).pathname),
    };
  });
}
