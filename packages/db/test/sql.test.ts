import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChairsideOrm } from "../src/orm.ts";
import { rowsOf, sqlFor, toKeep } from "../src/postgres/sql.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

describe("the query runner", () => {
  let db: TestDatabase;
  let orm: ChairsideOrm;
  let statements: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ orm, statements } = await db.recordingOrm());
  });
  afterAll(() => db.drop());

  // The pool hands back the connection it last took back, so in a sequential test this reads the
  // prepared statements of the connection the runner just used.
  const preparedStatements = async () => {
    const pool = await orm.em.getConnection().getNativeClient();
    const { rows } = await pool.query<{ statement: string }>("select statement from pg_prepared_statements");
    return rows.map((row) => row.statement);
  };
  const shape = (em: ReturnType<ChairsideOrm["em"]["fork"]>, label: string, plus: number) =>
    sqlFor(em).selectNoFrom((eb) => eb(eb.cast<number>(eb.val(1), "integer"), "+", sql.lit(plus)).as(label));

  it("binds values rather than inlining them, and goes through the onQuery hook like ORM statements", async () => {
    statements.length = 0;
    const em = orm.em.fork();
    const query = sqlFor(em).selectNoFrom((eb) => [
      eb.cast<number>(eb.val(7), "integer").as("n"),
      eb.cast<string>(eb.val("it's"), "text").as("t"),
    ]);
    expect(await rowsOf(em, query, "reuse")).toEqual([{ n: 7, t: "it's" }]);
    expect(statements.at(-1)).toBe('select cast($1 as integer) as "n", cast($2 as text) as "t"');
  });

  it("prepares a reused shape once per connection, and a per-call shape not at all", async () => {
    const em = orm.em.fork();
    await rowsOf(em, shape(em, "reused", 1), "reuse");
    await rowsOf(em, shape(em, "per_call", 2), "per-call");
    const prepared = await preparedStatements();
    expect(prepared).toContain('select cast($1 as integer) + 1 as "reused"');
    expect(prepared.some((text) => text.includes("per_call"))).toBe(false);
  });

  it("keeps a compiled statement's text and values without its syntax tree, and runs it as the same read", async () => {
    statements.length = 0;
    const em = orm.em.fork();
    const compiled = shape(em, "kept", 3).compile();
    const kept = toKeep(compiled);
    expect(JSON.stringify(kept.query)).toBe('{"kind":"SelectQueryNode"}');
    expect(kept).toMatchObject({ sql: compiled.sql, parameters: compiled.parameters });
    expect(await rowsOf(em, { compile: () => kept }, "reuse")).toEqual([{ kept: 4 }]);
    expect(statements.at(-1)).toBe(compiled.sql);
  });

  it("names at most 256 shapes per process, then runs further ones unnamed", async () => {
    const em = orm.em.fork();
    for (let plus = 0; plus < 300; plus++) {
      expect(await rowsOf(em, shape(em, "n", plus), "reuse")).toEqual([{ n: plus + 1 }]);
    }
    const prepared = await preparedStatements();
    expect(prepared).not.toContain('select cast($1 as integer) + 299 as "n"');
    expect(prepared.length).toBeLessThanOrEqual(256);
  });

  it("keeps the connection after PostgreSQL refuses a statement", async () => {
    const em = orm.em.fork();
    const boom = sqlFor(em).selectNoFrom((eb) => eb(sql.lit(1), "/", eb.cast<number>(eb.val(0), "integer")).as("boom"));
    await expect(rowsOf(em, boom, "reuse")).rejects.toThrow(/division by zero/);
    const pool = await orm.em.getConnection().getNativeClient();
    expect(pool.idleCount + pool.waitingCount).toBeGreaterThan(0);
    expect(await rowsOf(em, shape(em, "ok", 0), "reuse")).toEqual([{ ok: 1 }]);
  });

  it("runs inside a transaction on the transaction's own connection", async () => {
    await orm.em.fork().transactional(async (tx) => {
      await tx
        .getConnection()
        .execute("create temporary table only_here (n int) on commit drop", [], "run", tx.getTransactionContext());
      const count = sqlFor(tx)
        .selectFrom(sql<{ n: number }>`only_here`.as("only_here"))
        .select((eb) => eb.fn.countAll<string>().as("count"));
      expect(await rowsOf(tx, count, "reuse")).toEqual([{ count: "0" }]);
    });
  });

  it("sends PostgreSQL's own operators and quoting untouched (jsonb ?, $$ strings, -- in literals)", async () => {
    const em = orm.em.fork();
    const query = sqlFor(em).selectNoFrom((eb) => [
      eb(sql<unknown>`'{"fields": 1}'::jsonb`, "?", eb.cast<string>(eb.val("fields"), "text")).as("has_key"),
      sql<string>`$$it's -- not a comment$$`.as("dollar_quoted"),
      eb.cast<string>(eb.val("-- ? $1"), "text").as("bound"),
    ]);
    expect(await rowsOf(em, query)).toEqual([
      { has_key: true, dollar_quoted: "it's -- not a comment", bound: "-- ? $1" },
    ]);
  });

  it("leaves pg's own pool.query working through the connection guard", async () => {
    const pool = await orm.em.getConnection().getNativeClient();
    const { rows } = await pool.query<{ one: number }>("select 1 as one");
    expect(rows).toEqual([{ one: 1 }]);
  });
});
