// Walking a keyset-paginated list to its end: each page once, in order, until `nextCursor` is null.
import type { PAGE_SIZE } from "@chairside/db";
import type { RouterInputs, RouterOutputs } from "@chairside/server";
import type { TRPCProcedureOptions } from "@trpc/client";
import type { ChairsideClient } from "./client.ts";

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** Pages from the first (cursor null) to the last; stops with an error rather than loop on a broken server. */
export async function* allPages<Item>(
  fetchPage: (cursor: string | null) => Promise<Page<Item>>,
): AsyncGenerator<Page<Item>> {
  let cursor: string | null = null;
  do {
    const page: Page<Item> = await fetchPage(cursor);
    if (page.nextCursor !== null && (page.items.length === 0 || page.nextCursor === cursor)) {
      throw new Error("the server returned a page that does not advance the list");
    }
    yield page;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

export type PatientListItem = RouterOutputs["patients"]["list"]["items"][number];
/** The list's filters and order; the walk sets the cursor itself. */
export type PatientListFilters = Omit<RouterInputs["patients"]["list"], "cursor" | "direction">;

/** The largest page the API serves; the type ties it to the API's own bound, so the two cannot drift. */
const LARGEST_PAGE: (typeof PAGE_SIZE)["max"] = 100;

/**
 * Every patient matching the filters, one at a time, fetched in the largest pages unless `limit` says
 * otherwise. Keyset pages: a patient is never repeated or skipped, even deep into a long list.
 */
export async function* listAllPatients(
  client: ChairsideClient,
  filters: PatientListFilters = {},
  options: TRPCProcedureOptions = {},
): AsyncGenerator<PatientListItem> {
  const input = { limit: LARGEST_PAGE, ...filters };
  for await (const page of allPages((cursor) => client.patients.list.query({ ...input, cursor }, options))) {
    yield* page.items;
  }
}
