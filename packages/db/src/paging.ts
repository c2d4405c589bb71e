// How every list pages (the patient list, a patient's visits, the audit trail): keyset pagination on a unique
// order, so page 10,000 costs what page 1 costs. A query asks for one row more than the page (`limit + 1`,
// to know whether another page follows), and the next page starts after the last row's position in the
// order, handed to the client as a sealed cursor.
//
// Sealed with AES-256-GCM: opaque (positions are patient names and dates, which must not sit readable in URLs
// and logs) and tamper-proof, and bound to the query it came from. A cursor from a client is untrusted input:
// anything that does not open, or belongs to another query, is a BAD_REQUEST, never a wrong page.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { z } from "zod";
import { ChairsideError } from "./errors.ts";

/** A row's position in a list's order: its sort values, then its id (strings, numbers, ISO dates or null). */
export type Position = (string | number | null)[];

export interface Page<Item> {
  items: Item[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

const payloadSchema = z.object({
  q: z.string().length(16),
  v: z
    .array(z.union([z.string().max(400), z.number().finite(), z.null()]))
    .min(1)
    .max(8),
});

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The key per secret, derived once: a server has one secret, and every page seals a cursor. */
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 16) keys.clear();
    key = createSecretKey(createHash("sha256").update(`chairside cursor key\0${secret}`).digest());
    keys.set(secret, key);
  }
  return key;
}

/** IVs drawn from the random source in bulk: a draw costs per call far more than per byte, and every page seals. */
let ivs = Buffer.alloc(0);
let ivsUsed = 0;
function freshIv(): Buffer {
  if (ivsUsed + IV_BYTES > ivs.length) {
    ivs = randomBytes(IV_BYTES * 256);
    ivsUsed = 0;
  }
  ivsUsed += IV_BYTES;
  return ivs.subarray(ivsUsed - IV_BYTES, ivsUsed);
}

export const invalidCursor = (why = "malformed") =>
  new ChairsideError("BAD_REQUEST", `invalid cursor: ${why}; start again from the first page`);

/** An instant in a position, as the list's queries compare it. */
export const positionInstant = z.iso.datetime({ offset: true });
/** An id in a position. */
export const positionId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * One list's paging: `query` is everything that shapes the list's order and membership (its filters, its
 * sort), so that a cursor only continues the list it came from.
 */
export class Paging<P extends Position> {
  readonly limit: number;
  readonly #fingerprint: string;
  readonly #secret: string;
  readonly #position: z.ZodType<P>;

  constructor(options: { query: unknown; limit: number; secret: string; position: z.ZodType<P> }) {
    if (!Number.isSafeInteger(options.limit) || options.limit < 1) {
      throw new ChairsideError("BAD_REQUEST", "invalid page size");
    }
    this.limit = options.limit;
    this.#fingerprint = createHash("sha256").update(JSON.stringify(options.query)).digest("base64url").slice(0, 16);
    this.#secret = options.secret;
    this.#position = options.position;
  }

  /** How many rows the query reads: one more than the page. */
  get rowsToRead(): number {
    return this.limit + 1;
  }

  /** Where the page starts: null for the first page. */
  after(cursor: string | null | undefined): P | null {
    if (!cursor) return null;
    const parsed = this.#position.safeParse(this.#open(cursor));
    if (!parsed.success) throw invalidCursor();
    return parsed.data;
  }

  /** The page among the rows read, and the cursor after its last row when more follow. */
  page<Row, Item>(rows: readonly Row[], positionOf: (row: Row) => P, itemOf: (row: Row) => Item): Page<Item> {
    const shown = rows.slice(0, this.limit);
    const last = shown.at(-1);
    return {
      items: shown.map(itemOf),
      nextCursor: rows.length > this.limit && last !== undefined ? this.#seal(positionOf(last)) : null,
    };
  }

  #seal(position: P): string {
    const iv = freshIv();
    const cipher = createCipheriv("aes-256-gcm", keyOf(this.#secret), iv);
    const plain = JSON.stringify({ q: this.#fingerprint, v: position });
    const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
  }

  #open(cursor: string): Position {
    const bytes = Buffer.from(cursor, "base64url");
    if (bytes.length < IV_BYTES + TAG_BYTES + 2 || bytes.toString("base64url") !== cursor) throw invalidCursor();
    let payload: z.infer<typeof payloadSchema>;
    try {
      const decipher = createDecipheriv("aes-256-gcm", keyOf(this.#secret), bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
      payload = payloadSchema.parse(JSON.parse(plain.toString("utf8")));
    } catch {
      throw invalidCursor("not issued by this server, or altered");
    }
    if (payload.q !== this.#fingerprint) {
      throw invalidCursor("it belongs to a list with other filters or another order");
    }
    return payload.v;
  }
}
