import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { SERVER_DRIVER_OPTIONS } from "../src/postgres/server-database.ts";
import { rowsOf, sqlFor } from "../src/postgres/sql.ts";
import { createTestDatabase } from "../src/testing/index.ts";

describe("the server's connections (SERVER_DRIVER_OPTIONS)", () => {
  it("cancel a runaway statement after 15 s and never fan one out to parallel workers", async () => {
    const db = await createTestDatabase();
    try {
      const orm = await db.orm({ driverOptions: SERVER_DRIVER_OPTIONS });
      const settings = `select current_setting('statement_timeout') as timeout,
        current_setting('max_parallel_workers_per_gather') as workers`;
      const em = orm.em.fork();
      const built = sqlFor(em).selectNoFrom((eb) => [
        eb.fn<string>("current_setting", [sql.lit("statement_timeout")]).as("timeout"),
        eb.fn<string>("current_setting", [sql.lit("max_parallel_workers_per_gather")]).as("workers"),
      ]);
      // Through the ORM, and through the query runner of the list and the counts (the same pool).
      expect(await orm.em.getConnection().execute(settings)).toEqual([{ timeout: "15s", workers: "0" }]);
      expect(await rowsOf(em, built, "reuse")).toEqual([{ timeout: "15s", workers: "0" }]);
    } finally {
      await db.drop();
    }
  });
});
