// The three demo clinics and their surroundings: opening hours, the streets their patients live on, and how
// phone numbers are written there (inconsistently, as people type them).
import type { Random } from "./random.ts";

/** Opening windows of one weekday, in minutes after local midnight. */
type Hours = readonly (readonly [open: number, close: number])[];

export interface ClinicPlace {
  name: string;
  address: string;
  phone: string;
  timeZone: string;
  /** Relative share of the patients. */
  share: number;
  /** Indexed by weekday, 0 = Sunday; an empty list means closed. */
  hours: readonly Hours[];
  /** Chance that a patient here carries two Spanish surnames. */
  spanishSurnames: number;
  patientAddress(random: Random): string;
  patientPhone(random: Random): string;
}

const h = (hours: number, minutes = 0) => hours * 60 + minutes;
const usWeek: readonly Hours[] = [[], ...Array<Hours>(5).fill([[h(8), h(18)]]), [[h(9), h(13)]]];
// Madrid keeps a long lunch break and opens late; closed on weekends.
const madridWeek: readonly Hours[] = [
  [],
  ...Array<Hours>(5).fill([
    [h(9), h(14)],
    [h(16), h(20)],
  ]),
  [],
];

function usAddress(streets: readonly string[], city: string, zips: readonly string[]) {
  return (random: Random) => {
    const unit = random.chance(0.35) ? `, Apt ${random.int(1, 24)}${random.pick(["A", "B", "C", "D", "F", "R"])}` : "";
    return `${random.int(10, 2999)} ${random.pick(streets)}${unit}, ${city} ${random.pick(zips)}`;
  };
}

/** US numbers in the forms people actually type; 555 keeps them fictional. */
function usPhone(areaCodes: readonly string[]) {
  return (random: Random) => {
    const area = random.pick(areaCodes);
    const line = random.digits(4);
    switch (random.int(0, 7)) {
      case 0:
        return `+1 (${area}) 555-${line}`;
      case 1:
        return `${area}.555.${line}`;
      case 2:
        return `(${area}) 555-${line}`;
      case 3:
        return `${area}-555-${line}`;
      case 4:
        return `(${area}) 555${line.slice(0, 1)}-${line.slice(1)}`;
      case 5:
        return `1-${area}-555-${line}`;
      case 6:
        return `+1 ${area} 555 ${line}`;
      default:
        return `+1${area}555${line}`;
    }
  };
}

const MADRID_STREETS = [
  "Calle de Alcalá",
  "Calle Mayor",
  "Calle de Serrano",
  "Calle de Goya",
  "Calle de Bravo Murillo",
  "Paseo de la Castellana",
  "Calle de Toledo",
  "Calle del Príncipe de Vergara",
  "Calle de Fuencarral",
  "Calle de Embajadores",
  "Calle de Ríos Rosas",
  "Calle de Santa Engracia",
];

function madridAddress(random: Random): string {
  const floor = random.chance(0.8)
    ? `, ${random.int(1, 9)}º ${random.pick(["A", "B", "C", "D", "izda.", "dcha."])}`
    : "";
  return `${random.pick(MADRID_STREETS)}, ${random.int(1, 180)}${floor}, 280${random.digits(2)} Madrid`;
}

function madridPhone(random: Random): string {
  const mobile = random.chance(0.75);
  const first = mobile ? `6${random.digits(2)}` : `91${random.digits(1)}`;
  const rest = random.digits(6);
  switch (random.int(0, 3)) {
    case 0:
      return `+34 ${first} ${rest.slice(0, 2)} ${rest.slice(2, 4)} ${rest.slice(4)}`;
    case 1:
      return `${first} ${rest.slice(0, 3)} ${rest.slice(3)}`;
    case 2:
      return `+34${first}${rest}`;
    default:
      return `0034 ${first}${rest}`;
  }
}

export const CLINIC_PLACES: readonly ClinicPlace[] = [
  {
    name: "Chairside Dental Brooklyn Heights",
    address: "148 Montague Street, Brooklyn, NY 11201",
    phone: "+1 (718) 555-0142",
    timeZone: "America/New_York",
    share: 0.5,
    hours: usWeek,
    spanishSurnames: 0,
    patientAddress: usAddress(
      ["Atlantic Avenue", "Court Street", "Henry Street", "Clinton Street", "Hicks Street", "Smith Street"],
      "Brooklyn, NY",
      ["11201", "11217", "11231", "11238", "11215"],
    ),
    patientPhone: usPhone(["718", "347", "917", "929"]),
  },
  {
    name: "Clínica Dental Chairside Chamberí",
    address: "Calle de Fuencarral, 112, 28010 Madrid",
    phone: "+34 914 55 01 23",
    timeZone: "Europe/Madrid",
    share: 0.3,
    hours: madridWeek,
    spanishSurnames: 0.6,
    patientAddress: madridAddress,
    patientPhone: madridPhone,
  },
  {
    name: "Chairside Dental Lincoln Park",
    address: "2418 N Clark Street, Chicago, IL 60614",
    phone: "+1 (312) 555-0198",
    timeZone: "America/Chicago",
    share: 0.2,
    hours: usWeek,
    spanishSurnames: 0.05,
    patientAddress: usAddress(
      ["N Clark Street", "W Fullerton Avenue", "N Halsted Street", "W Armitage Avenue", "N Lincoln Avenue"],
      "Chicago, IL",
      ["60614", "60657", "60610", "60622"],
    ),
    patientPhone: usPhone(["312", "773", "872"]),
  },
];
