// Word lists for generated people: first names by gender, surnames ranked by how common they are, notes.
// Deliberately international, with diacritics, apostrophes (straight and curly, as a phone types them) and hyphens,
// so search, sorting and escaping get exercised.

/** Whitespace-separated words: keeps long lists compact (no name here contains a space). */
function words(text: string): readonly string[] {
  return text.trim().split(/\s+/);
}

export const FEMALE_NAMES = words(`
  Ana María Zoë Françoise Sofía Lucía Emma Olivia Chloé Ingrid Agnieszka Małgorzata Siobhán Aoife Linh Thảo Mai
  Hana Yuki Priya Ananya Fatima Leila Amélie Renée Inès Åsa Elena Carmen Pilar Núria Ayşe Zeynep Grace Emily Hannah
  Jessica Sarah Ashley Mia Isabella Camila Valentina Noémie Léa Greta Marta Paula Ximena Begoña Itziar Dagný Maëlle
  Niamh Charlotte Amara
`);

export const MALE_NAMES = words(`
  José Juan Luis Álvaro Jesús Andrés Iñigo Sergio Javier Miguel Raúl Joaquín François Jérôme Hervé Jürgen Lukas
  Jonas Stefan Søren Bjørn Lars Piotr Paweł Wojciech Michał Minh Quang Đức Hiroshi Kenji Arjun Rahul Omar Youssef
  Mehmet Emre James John Michael David Daniel Liam Noah Ethan Seán Ciarán Patrick Kwame Chidi Mateo Hugo Pau Jordi
  Óscar Tomás
`);

/** Ranked: the head is drawn far more often than the tail (see zipf()). */
export const SURNAMES = words(`
  García Smith Nguyễn Müller Martínez Johnson Rodríguez Williams López Brown Fernández González Jones Sánchez Pérez
  Kowalski Schmidt Trần Lê Phạm O'Brien Núñez Gómez Díaz Miller Davis Wilson Schneider Fischer Weiß Øster
  Łukasiewicz Nowak Wójcik Kamińska Dubois Lefèvre Moreau Bernard Girard Ibáñez Peña Muñoz Álvarez Romero Jiménez
  Ruiz Hernández Moreno Martín Navarro Torres Domínguez Vázquez Ramos Gil Serrano Blanco Suárez Molina Castro
  Ortega Delgado Rubio Marín Sanz Kim Lee Park Choi Wang Li Zhang Chen Liu Patel Shah Singh Kumar Khan Ahmed Ali
  Hassan Yılmaz Kaya Demir Şahin Çelik Öztürk Andersen Sørensen Nielsen Jørgensen Ødegaard Håkansson Åberg
  Lindqvist Johansson Björk O'Connor O'Neill McCarthy MacDonald D'Angelo Rossi Russo Ferrari Esposito Bianchi
  Romano Colombo Ricci Marino Greco Taylor Anderson Thomas Jackson White Harris Martin Thompson Moore Clark Lewis
  Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips
  Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell
  Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Reyes Cruz Hughes Price Myers Long Foster
  Sanders Ross Morales Powell Sullivan Russell Ortiz Jenkins Gutiérrez Perry Butler Barnes Fisher Henderson Coleman
  Simmons Patterson Jordan Reynolds Hamilton Graham Wallace Okafor Adeyemi Mensah Nakamura Tanaka Suzuki Watanabe
  Yamamoto Hoàng Huỳnh Võ Đặng Bùi Dvořák Novák Svoboda Černý Horváth Szabó Kovács Tóth Nagy Popescu Ionescu
  Papadopoulos Ivanov Petrov Zimmermann Schäfer Köhler
`);

/** Some patients carry these surnames hyphenated, or typed with a curly apostrophe. */
export const MARKED_SURNAMES: Readonly<Record<string, string>> = {
  Smith: "Smith-Jones",
  Jones: "Lloyd-Jones",
  "O'Brien": "O’Brien",
  "O'Connor": "O’Connor",
  Ortiz: "Ortiz-Rivera",
  Peña: "Martín-Peña",
};

/** Surnames that a Spanish patient may carry two of ("García Núñez"). */
export const SPANISH_SURNAMES = words(`
  García Martínez Rodríguez López Fernández González Sánchez Pérez Núñez Gómez Díaz Ibáñez Peña Muñoz Álvarez
  Romero Jiménez Ruiz Hernández Moreno Martín Navarro Torres Domínguez Vázquez Ramos Gil Serrano Blanco Suárez
  Molina Castro Ortega Delgado Rubio Marín Sanz Reyes Cruz Morales Ortiz Gutiérrez
`);

/** Mostly empty in the data; the few there are include quotes, commas and a line break on purpose. */
export const PATIENT_NOTES = [
  "Allergic to penicillin.",
  "Latex allergy: use nitrile gloves.",
  "Prefers morning appointments.",
  "Anxious patient; explain each step before starting.",
  'Says "no X-rays" unless strictly necessary.',
  "Takes blood thinners (warfarin), check before extractions.",
  "Speaks Spanish; prefers Spanish-speaking staff.",
  "Insurance: Delta Dental, PPO.\nPolicy renews every January.",
  "Grinds teeth at night; night guard fitted.",
  "Referred by Dr. Núñez (orthodontist).",
  "Parent or guardian must sign consent forms.",
] as const;

export const APPOINTMENT_NOTES = [
  "Patient asked to be called 30 min before.",
  'Sensitivity on lower-left molar, "sharp" when chewing.',
  "Bring previous X-rays, if any.",
  "Follow-up from last visit.",
  "Running late; rescheduled within the hour.",
  "Needs a longer slot next time.\nDiscussed options for a crown.",
  "Paid in full.",
  "Insurance pre-authorisation pending.",
] as const;

/** The ASCII a name turns into in an email address: accents dropped, letters only ("Núñez" -> "nunez"). */
export function emailPart(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[ßđøłæœı]/giu, (letter) => SPECIAL_LETTERS[letter.toLowerCase()] ?? "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

const SPECIAL_LETTERS: Record<string, string> = { ß: "ss", đ: "d", ø: "o", ł: "l", æ: "ae", œ: "oe", ı: "i" };
