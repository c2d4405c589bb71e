// Mistakes the published types must catch. Every line marked `// error TSnnnn: text` must fail with that
// error, and nothing else may: were the router's types lost (collapsed to `any`), none of them would.
import { createChairsideClient, isChairsideError, type RouterInputs, type RouterOutputs } from "@chairside/client";

const client = createChairsideClient({ url: "http://127.0.0.1:3000" });
declare const patient: RouterOutputs["patients"]["list"]["items"][number];
declare const record: RouterOutputs["patients"]["byId"];
declare const failure: unknown;

export const onDate: string = patient.lastVisit.on; // error TS18047: 'patient.lastVisit' is possibly 'null'
export const visitDate = patient.lastVisit?.date; // error TS2339: Property 'date' does not exist
export const clinicName: string = record.clinic.title; // error TS2339: Property 'title' does not exist
export const born: Date | null = record.birthday; // error TS2322: Type 'string | null' is not assignable
export const dormant = client.patients.list.query({ status: "dormant" }); // error TS2322: Type '"dormant"' is not assignable
export const tooBig: RouterInputs["patients"]["list"]["limit"] = "100"; // error TS2322: Type 'string' is not assignable to type 'number'
export const unknownProcedure = client.patients.remove.mutate({ id: 1 }); // error TS2339: Property 'remove' does not exist
export const queryAMutation = client.patients.archive.query({ id: 1 }); // error TS2339: Property 'query' does not exist
export const noInput = client.patients.byId.query(); // error TS2554: Expected 1-2 arguments, but got 0
export const code = isChairsideError(failure, "NOT_A_CODE"); // error TS2345: Argument of type '"NOT_A_CODE"' is not assignable

// The same shapes used rightly compile.
export const onDateOrNull: string | null = patient.lastVisit?.on ?? null;
export const clinic: string = record.clinic.name;
export const inactive = client.patients.list.query({ status: "inactive", limit: 100 });
