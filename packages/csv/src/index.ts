// @chairside/csv: the one CSV encoder, for the server's recall export and the examples' services alike. No
// dependencies, so a service built on @chairside/client alone can take it too.
//
// CSV as RFC 4180 writes it, made safe to open in a spreadsheet: patient data is typed in by people, and a
// name like `=HYPERLINK(...)` must stay text rather than become a formula.

/**
 * What makes a spreadsheet read a cell as a formula (OWASP's list: = + - @ tab and carriage return), and
 * the full-width = + - @ that some spreadsheet locales fold into them.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: a leading apostrophe keeps a would-be formula text; quotes around anything with , " CR or LF. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) || text !== String(value) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ended by CRLF as RFC 4180 has it. */
export function csvRecord(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
