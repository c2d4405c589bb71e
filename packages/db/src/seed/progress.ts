// A text progress bar for seeding: redrawn in place on a terminal, a few plain lines in logs and CI.

const WIDTH = 28;
/** Redrawing more often than this only costs time; the eye cannot follow faster anyway. */
const REDRAW_MS = 80;

function bar(fraction: number): string {
  const filled = Math.round(fraction * WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`;
}

const number = new Intl.NumberFormat("en-US");

function line(phase: string, done: number, total: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${phase.padEnd(14)} ${bar(fraction)} ${percent}  ${number.format(done)}/${number.format(total)}`;
}

/**
 * Returns an onProgress callback for seedDatabase. On a TTY it redraws one line per phase in place; otherwise
 * (a pipe, a CI log) it prints a phase's start, its halfway mark and its end, so logs stay short.
 */
export function createProgressBar(
  stream: NodeJS.WriteStream = process.stderr,
): (phase: string, done: number, total: number) => void {
  let current: string | undefined;
  let ended = false;
  let lastDraw = 0;
  let printedHalf = false;
  const interactive = stream.isTTY === true;

  return (phase, done, total) => {
    if (phase === current && ended) return; // a finished phase has nothing more to say
    const finished = done >= total;
    const fresh = phase !== current;
    if (fresh) {
      // A phase that never reported its end still leaves its last line standing.
      if (interactive && current !== undefined && !ended) stream.write("\n");
      current = phase;
      ended = false;
      printedHalf = false;
    }
    ended = finished;
    if (interactive) {
      const now = performance.now();
      if (!fresh && !finished && now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      stream.write(`\r${line(phase, done, total)}\x1b[K${finished ? "\n" : ""}`);
      return;
    }
    const half = !printedHalf && !finished && total > 0 && done * 2 >= total;
    if (half) printedHalf = true;
    if (fresh || finished || half) stream.write(`${line(phase, done, total)}\n`);
  };
}
