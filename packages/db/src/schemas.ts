// The browser-safe part of @chairside/db: input schemas and the clinic's rules, pure TypeScript and zod,
// for the SPA's forms and URL state. Nothing here may import the ORM or node: modules.

export * from "./alerts/input.ts";
export * from "./appointments/input.ts";
export * from "./appointments/statuses.ts";
export * from "./audit/actions.ts";
export * from "./catalog/input.ts";
export * from "./clinic-rules.ts";
export * from "./patients/family-input.ts";
export * from "./patients/list-input.ts";
export * from "./patients/list-order.ts";
export * from "./patients/recall-input.ts";
export * from "./patients/record-input.ts";
export * from "./record-id.ts";
export * from "./text.ts";
