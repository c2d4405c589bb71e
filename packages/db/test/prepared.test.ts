import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChairsideOrm } from "../src/orm.ts";
import { selectRows, toPositional } from "../src/postgres/prepared.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

describe("toPositional", () => {
  it("numbers the placeholders and expands arrays into lists, as MikroORM does", () => {
    expect(toPositional("select ? where a in (?) and b = ?::text", [1, [2, 3], "x"])).toEqual({
      text: "select $1 where a in ($2, $3) and b = $4::text",
      values: [1, 2, 3, "x"],
    });
  });

  it("leaves question marks inside quoted literals and identifiers alone", () => {
    expect(toPositional(`select 'why?' || ? as "who?", ''''`, ["a"])).toEqual({
      text: `select 'why?' || $1 as "who?", ''''`,
      values: ["a"],
    });
  });

  it("refuses placeholders and parameters that do not pair up", () => {
    expect(() => toPositional("select ?, ?", [1])).toThrow(/more placeholders/);
    expect(() => toPositional("select ?", [1, 2])).toThrow(/more parameters/);
    expect(() => toPositional("select 'open", [])).toThrow(/unterminated/);
  });
});

describe("selectRows", () => {
  let db: TestDatabase;
  let orm: ChairsideOrm;
  let statements: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ orm, statements } = await db.recordingOrm());
  });
  afterAll(() => db.drop());

  // The pool hands back the connection it last took back, so in a sequential test this reads the
  // prepared statements of the connection selectRows just used.
  const preparedStatements = async () => {
    const pool = await orm.em.getConnection().getNativeClient();
    const { rows } = await pool.query<{ statement: string }>("select statement from pg_prepared_statements");
    return rows.map((row) => row.statement);
  };

  it("binds values rather than inlining them, and goes through the onQuery hook like ORM statements", async () => {
    statements.length = 0;
    const rows = await selectRows<{ n: number; t: string }>(
      orm.em.fork(),
      "select ?::int as n, ?::text as t",
      [7, "it's"],
      "reuse",
    );
    expect(rows).toEqual([{ n: 7, t: "it's" }]);
    expect(statements.at(-1)).toBe("select $1::int as n, $2::text as t");
  });

  it("prepares a reused shape once per connection, and a per-call shape not at all", async () => {
    const em = orm.em.fork();
    await selectRows(em, "select ?::int + 1 as reused", [1], "reuse");
    await selectRows(em, "select ?::int + 2 as per_call", [1], "per-call");
    const prepared = await preparedStatements();
    expect(prepared).toContain("select $1::int + 1 as reused");
    expect(prepared.some((text) => text.includes("per_call"))).toBe(false);
  });

  it("names at most 256 shapes per process, then runs further ones unnamed", async () => {
    const em = orm.em.fork();
    for (let shape = 0; shape < 300; shape++) {
      expect(await selectRows(em, `select ?::int + ${shape} as n`, [1], "reuse")).toEqual([{ n: shape + 1 }]);
    }
    const prepared = await preparedStatements();
    expect(prepared).not.toContain("select $1::int + 299 as n");
    expect(prepared.length).toBeLessThanOrEqual(256);
  });

  it("keeps the connection after PostgreSQL refuses a statement", async () => {
    const em = orm.em.fork();
    await expect(selectRows(em, "select 1 / ?::int as boom", [0], "reuse")).rejects.toThrow(/division by zero/);
    const pool = await orm.em.getConnection().getNativeClient();
    expect(pool.idleCount + pool.waitingCount).toBeGreaterThan(0);
    expect(await selectRows(em, "select ?::int as ok", [1], "reuse")).toEqual([{ ok: 1 }]);
  });

  it("runs inside a transaction on the transaction's own connection", async () => {
    await orm.em.fork().transactional(async (tx) => {
      await tx
        .getConnection()
        .execute("create temporary table only_here (n int) on commit drop", [], "run", tx.getTransactionContext());
      const rows = await selectRows<{ count: string }>(tx, "select count(*) as count from only_here", [], "reuse");
      expect(rows).toEqual([{ count: "0" }]);
    });
  });

  it("leaves pg's own pool.query working through the connection guard", async () => {
    const pool = await orm.em.getConnection().getNativeClient();
    const { rows } = await pool.query<{ one: number }>("select 1 as one");
    expect(rows).toEqual([{ one: 1 }]);
  });
});
