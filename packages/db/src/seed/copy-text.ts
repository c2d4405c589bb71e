// PostgreSQL COPY text format: one line per row, tab-separated, \N for null, backslash escapes.
// Text format rather than CSV because only four characters need escaping and most values need none.

import { DAY_MS } from "./calendar.ts";

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One field: a string escaped for COPY, or \N for null. */
export function field(value: string | null): string {
  if (value === null) return "\\N";
  return SPECIAL.test(value) ? value.replace(SPECIALS, (character) => ESCAPES[character] ?? character) : value;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, "0"));
const dayPrefixes = new Map<number, string>();

/**
 * A UTC timestamp field ("2026-11-25T14:30:00Z"), or \N. Date#toISOString for each of ~4 million timestamps
 * was most of the generation time; whole seconds are composed from a cached "YYYY-MM-DDT" per day instead.
 */
export function instant(ms: number | null): string {
  if (ms === null) return "\\N";
  if (ms % 1000 !== 0) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const seconds = (ms - day * DAY_MS) / 1000;
  const hh = TWO_DIGITS[Math.floor(seconds / 3600)];
  const mm = TWO_DIGITS[Math.floor(seconds / 60) % 60];
  return `${prefix}${hh}:${mm}:${TWO_DIGITS[seconds % 60]}Z`;
}

/**
 * Collects COPY lines and hands them out in chunks of about `rowsPerChunk`, so that a million rows stream
 * through in bounded memory instead of one giant string.
 */
export class ChunkBuffer {
  #lines: string[] = [];
  readonly rowsPerChunk: number;

  constructor(rowsPerChunk: number) {
    this.rowsPerChunk = rowsPerChunk;
  }

  /** Adds a row, its fields already escaped and joined by tabs. */
  push(fields: string): void {
    this.#lines.push(fields);
  }

  /** A chunk is ready to take(). */
  get full(): boolean {
    return this.#lines.length >= this.rowsPerChunk;
  }

  get size(): number {
    return this.#lines.length;
  }

  take(): string {
    const chunk = this.#lines.length ? `${this.#lines.join("\n")}\n` : "";
    this.#lines = [];
    return chunk;
  }
}
