// Text as PostgreSQL can store it: the one rule every text input is checked by, and the one repair for text
// that must be stored whatever it holds (audit entries). Pure zod, so the browser can import it.
import { z } from "zod";

/** NUL, which PostgreSQL's text and jsonb cannot hold, and UTF-16 surrogates without their pair, which are no
 *  character at all (PostgreSQL refuses them in jsonb; in text they would silently become U+FFFD). */
export function isStorableText(value: string): boolean {
  return value.isWellFormed() && !value.includes("\0");
}

/** The same text with each such code unit replaced by U+FFFD: for what must be kept rather than refused. */
export function toStorableText(value: string): string {
  return value.toWellFormed().replaceAll("\0", "\uFFFD");
}

/** Something a reader can see: a letter or digit other than the Hangul fillers, which render as blank. */
const VISIBLE = /[\p{L}\p{N}](?<![\u115F\u1160\u3164\uFFA0])/u;
/** BEL, ESC, newlines...: never part of a one-line field. Format characters (the zero-width non-joiner some
 *  scripts need) are allowed beside visible ones. */
const CONTROL = /\p{Cc}/u;

/** A one-line text that shows: a visible letter or digit, and no control characters. */
export function isVisibleLine(value: string): boolean {
  return VISIBLE.test(value) && !CONTROL.test(value);
}

export const UNSTORABLE_TEXT = "contains a character that cannot be stored (NUL or a broken surrogate pair)";

/** A text input, refused with a field issue when PostgreSQL could not store it (and then checked no further).
 *  Chain trims, bounds and refinements after it. */
export const storableText = () => z.string().refine(isStorableText, { message: UNSTORABLE_TEXT, abort: true });
