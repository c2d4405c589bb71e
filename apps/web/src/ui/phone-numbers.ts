// Phone numbers in one form, by libphonenumber-js: loaded as a chunk of its own (see use-phone-format.ts).
import { type CountryCode, getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js/min";
import type { ContactDisplay } from "./format.ts";

/** The country of numbers typed without a country code, when the clinic's own number names none. */
const HOME_COUNTRY: CountryCode = "US";
const clinicCountries = new Map<string, CountryCode>();

/** The country a clinic is in, read from its own phone number (kept with its country code: "+34 914 55 01 23"). */
function clinicCountry(clinicPhone: string | undefined): CountryCode {
  if (!clinicPhone) return HOME_COUNTRY;
  let country = clinicCountries.get(clinicPhone);
  if (!country) {
    country = parsePhoneNumberFromString(clinicPhone)?.country ?? HOME_COUNTRY;
    clinicCountries.set(clinicPhone, country);
  }
  return country;
}

/**
 * A phone number as typed, in one form: a number of the clinic's country in its national format
 * ("(917) 555-0180"), any other with its country code ("+34 612 34 56 78"), and a tel: link that dials it from
 * anywhere. What is no number ("ask her son") is shown as typed. Display only: the record keeps what was typed.
 */
export function formatPhone(phone: string, clinicPhone: string | undefined): ContactDisplay {
  const country = clinicCountry(clinicPhone);
  const number = parsePhoneNumberFromString(phone, country);
  if (!number?.isPossible()) return { text: phone, href: null };
  const national = number.countryCallingCode === getCountryCallingCode(country);
  return { text: national ? number.formatNational() : number.formatInternational(), href: number.getURI() };
}
