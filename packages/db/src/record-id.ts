// Ids and versions as the API accepts them. Pure zod, so the browser can import it.
import { z } from "zod";

/** A row id: a positive PostgreSQL `int` (a larger number would be a database error, not a NOT_FOUND). */
export const recordId = z.number().int().positive().max(2_147_483_647);
