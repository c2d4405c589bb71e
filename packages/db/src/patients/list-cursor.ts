// The patient list's keyset cursor: where the previous page ended, bound to the query it came from.
// Sealed with AES-256-GCM: opaque (the sort values are patient names and dates, which must not sit readable
// in URLs and logs) and tamper-proof. A cursor from a client is untrusted input: anything that does not
// open, or belongs to another query, is a BAD_REQUEST, never a wrong page.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { z } from "zod";
import { ChairsideError } from "../errors.ts";

/** The sort values of the last row of a page, then its id (strings, numbers, ISO dates or null). */
export type CursorValues = (string | number | null)[];

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

/** A short fingerprint of everything that shapes the list's order and membership. */
export function queryFingerprint(shape: unknown): string {
  return createHash("sha256").update(JSON.stringify(shape)).digest("base64url").slice(0, 16);
}

export function encodeCursor(fingerprint: string, values: CursorValues, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify({ q: fingerprint, v: values }), "utf8"), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
}

const invalid = (why: string) =>
  new ChairsideError("BAD_REQUEST", `invalid cursor: ${why}; start again from the first page`);

export function decodeCursor(cursor: string, fingerprint: string, secret: string): CursorValues {
  const bytes = Buffer.from(cursor, "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES + 2 || bytes.toString("base64url") !== cursor) throw invalid("malformed");
  let payload: z.infer<typeof payloadSchema>;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    payload = payloadSchema.parse(JSON.parse(plain.toString("utf8")));
  } catch {
    throw invalid("not issued by this server, or altered");
  }
  if (payload.q !== fingerprint) throw invalid("it belongs to a list with other filters or another order");
  return payload.v;
}
