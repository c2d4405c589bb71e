// superjson on the wire, without its per-value walk for responses that are plain JSON already (the patient
// list: strings, numbers, nulls). superjson's serialize() of such a value is exactly `{ json: value }`, so
// clients (which keep plain superjson) cannot tell the difference; anything else still goes through superjson.
// Kept because it pays against plain superjson, measured side by side (BENCHMARKS.md, "Stock tRPC plumbing or
// ours").
import type { TRPCDataTransformer } from "@trpc/server";
import superjson from "superjson";

/** True when JSON.stringify round-trips `value` exactly: no Date, Map, undefined, NaN, class instance... */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (depth > 32) return false;
      if (Array.isArray(value)) {
        for (const item of value) if (!isPlainJson(item, depth + 1)) return false;
        return true;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) {
        if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

export const transformer: TRPCDataTransformer = {
  serialize: (value: unknown) => (isPlainJson(value, 0) ? { json: value } : superjson.serialize(value)),
  deserialize: (value: unknown) => superjson.deserialize(value as Parameters<typeof superjson.deserialize>[0]),
};
