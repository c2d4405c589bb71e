import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChairsideError } from "../src/errors.ts";
import type { ChairsideOrm } from "../src/orm.ts";
import { guardPool } from "../src/postgres/pool-guard.ts";
import { rowsOf, sqlFor } from "../src/postgres/sql.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

describe("a pool whose every connection is at work", () => {
  let db: TestDatabase;
  let orm: ChairsideOrm;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await db.orm({
      pool: { min: 0, max: 2 },
      driverOptions: { connectionTimeoutMillis: 300, onPoolCreated: guardPool },
    });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  const selectOne = (em: ReturnType<ChairsideOrm["em"]["fork"]>) =>
    rowsOf(
      em,
      sqlFor(em).selectNoFrom((eb) => eb.lit(1).as("one")),
      "reuse",
    );

  it("answers 'busy' to a request that waited out its timeout, not 'database unavailable'", async () => {
    const pool = await orm.em.getConnection().getNativeClient();
    const held = await Promise.all([pool.connect(), pool.connect()]);
    try {
      const waiting = selectOne(orm.em.fork());
      await expect(waiting).rejects.toBeInstanceOf(ChairsideError);
      await expect(waiting).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", message: /busy/ });
      // Through the ORM too.
      await expect(orm.em.fork().getConnection().execute("select 1")).rejects.toMatchObject({ message: /busy/ });
    } finally {
      for (const client of held) client.release();
    }
    expect(await selectOne(orm.em.fork())).toEqual([{ one: 1 }]);
  });
});
