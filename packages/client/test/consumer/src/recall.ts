// A service in another repository, on @chairside/client as installed from its tarball: signs in, reads one page
// of a clinic's inactive patients, walks the whole list, and prints what it saw as one JSON line.
import {
  isChairsideError,
  listAllPatients,
  type PatientListItem,
  type RouterInputs,
  type RouterOutputs,
  readChairsideError,
  signIn,
} from "@chairside/client";

type LastVisit = RouterOutputs["patients"]["list"]["items"][number]["lastVisit"];

const url = process.env.CHAIRSIDE_URL;
const email = process.env.CHAIRSIDE_EMAIL;
const password = process.env.CHAIRSIDE_PASSWORD;
const clinicId = Number(process.env.CHAIRSIDE_CLINIC);
if (!url || !email || !password) throw new Error("set CHAIRSIDE_URL, CHAIRSIDE_EMAIL and CHAIRSIDE_PASSWORD");

// An optional option given as possibly undefined, as exactOptionalPropertyTypes is strict about.
const { client, staff, expiresAt } = await signIn({ url, email, password, headers: undefined });
const filters: RouterInputs["patients"]["list"] = { status: "inactive", clinicId, limit: 5 };
const page = await client.patients.list.query(filters);
const lastVisits: LastVisit[] = page.items.map((patient) => patient.lastVisit);

const walked: PatientListItem[] = [];
for await (const patient of listAllPatients(client, { status: "inactive", clinicId })) walked.push(patient);

let refusal: string | null = null;
try {
  await client.patients.list.query({ limit: 0 });
} catch (error) {
  if (!isChairsideError(error, "BAD_REQUEST")) throw error;
  refusal = readChairsideError(error)?.fieldErrors.limit?.[0] ?? null;
}

console.log(
  JSON.stringify({
    role: staff.role,
    expiresAtIsDate: expiresAt instanceof Date,
    firstPage: page.items.map((patient) => patient.id),
    lastVisits,
    walked: walked.map((patient) => patient.id),
    refusal,
  }),
);
