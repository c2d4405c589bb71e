// How dates, ages, statuses and emails read on screen (phone numbers: use-phone-format.ts). One formatter per
// kind, shared by every view.

const calendarFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });

/** A calendar date ("2026-03-14", already in the clinic's time zone) as "Mar 14, 2026". */
export function formatCalendarDate(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  if (!year || !month || !day) return date;
  // Noon UTC: the same calendar day in every zone the browser may be in.
  return calendarFormat.format(new Date(Date.UTC(year, month - 1, day, 12)));
}

const birthdayFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "2-digit", day: "2-digit" });

/** A date of birth ("1969-11-27") as staff write it, and type it in a search: "11/27/1969" in the US. */
export function formatBirthday(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  if (!year || !month || !day) return date;
  return birthdayFormat.format(new Date(Date.UTC(year, month - 1, day, 12)));
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as the clinic's wall clock shows it: "Tue, Mar 14, 2026, 9:30 AM". */
export function formatClinicDateTime(instant: Date, timeZone: string): string {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      timeZone,
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
    });
    dateTimeFormats.set(timeZone, format);
  }
  return format.format(instant);
}

const countFormat = new Intl.NumberFormat();
export const formatCount = (count: number) => countFormat.format(count);

export function capitalize(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`.replaceAll("_", " ");
}

/** How a contact detail reads, and where its link goes (null: it is no number or address to link). */
export interface ContactDisplay {
  text: string;
  href: string | null;
}

/** An email address in one form, lower-case: staff type it in any case, and mail providers ignore it. */
export function formatEmail(email: string): ContactDisplay {
  const address = email.trim().toLowerCase();
  return { text: address, href: address.includes("@") ? `mailto:${address}` : null };
}
