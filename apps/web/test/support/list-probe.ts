// Instruments the page (before any of its scripts run) to record, on the page's own clock, when each
// patients.list request is issued and when each list row first becomes visible, so a test can check that
// the next page was requested before the user could reach the end of the loaded rows.
import type { Page } from "playwright-core";

export interface ListProbe {
  /** performance.now() at each fetch whose URL names patients.list, in order. */
  listRequests: { at: number; url: string }[];
  /** Requests (of any kind) not yet answered. */
  inFlight: number;
  /** Row index (data-index) -> when it first had a visible pixel. */
  firstSeen: Record<number, number>;
  /** When the "Loading more patients…" row was visible, if ever. */
  loaderSeenAt: number[];
}

type ProbeWindow = Window & { __listProbe: ListProbe };

export async function installListProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe: ListProbe = { listRequests: [], inFlight: 0, firstSeen: {}, loaderSeenAt: [] };
    (window as unknown as ProbeWindow).__listProbe = probe;

    const originalFetch = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (decodeURIComponent(url).includes("patients.list")) probe.listRequests.push({ at: performance.now(), url });
      probe.inFlight++;
      return originalFetch(input, init).finally(() => {
        probe.inFlight--;
      });
    };

    const visibility = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting || entry.intersectionRect.height <= 0) continue;
          const element = entry.target;
          if (element.classList.contains("more-row")) {
            probe.loaderSeenAt.push(entry.time);
            continue;
          }
          const index = Number(element.getAttribute("data-index"));
          if (!(index in probe.firstSeen)) probe.firstSeen[index] = entry.time;
        }
      },
      { threshold: [0, 0.25, 0.5, 1] },
    );
    const watch = (node: Node) => {
      if (!(node instanceof Element)) return;
      if (node.matches("tr[data-index], tr.more-row")) visibility.observe(node);
      for (const row of node.querySelectorAll("tr[data-index], tr.more-row")) visibility.observe(row);
    };
    new MutationObserver((mutations) => {
      for (const mutation of mutations) for (const node of mutation.addedNodes) watch(node);
    }).observe(document, { childList: true, subtree: true });
  });
}

export function readListProbe(page: Page): Promise<ListProbe> {
  return page.evaluate(() => (window as unknown as ProbeWindow).__listProbe);
}

/** Waits for the browser to render twice (so effects and observers have run) and for the network to settle. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
  await page.waitForFunction(() => (window as unknown as ProbeWindow).__listProbe.inFlight === 0);
}

/** Scrolls the list by `pixels`, as a wheel or a trackpad would, and lets the page settle. */
export async function scrollList(page: Page, pixels: number): Promise<void> {
  await page.locator(".table-scroll").evaluate((element, by) => element.scrollBy(0, by), pixels);
  await settle(page);
}

/** data-index -> patient id of the rows in the DOM now. */
export function renderedRows(page: Page): Promise<[number, number][]> {
  return page
    .locator("#patient-grid tr.patient-row")
    .evaluateAll((elements) =>
      elements.map((element) => [
        Number(element.getAttribute("data-index")),
        Number(element.getAttribute("data-patient-id")),
      ]),
    );
}
