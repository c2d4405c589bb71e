import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { readServerEnv } from "../src/env.ts";
import { waitForLine } from "./server-process.ts";

const folder = mkdtempSync(join(tmpdir(), "chairside-start-"));
chmodSync(folder, 0o755); // PostgreSQL runs as the postgres user when we are root
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("starting Chairside (the quick start's first command)", () => {
  it("creates the embedded database, migrates, loads demo data, serves, and on SIGTERM finishes in-flight requests and exits 0", async () => {
    const child = spawn(process.execPath, ["src/main.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, CHAIRSIDE_DATA_DIR: join(folder, "pgdata"), PORT: "0", NODE_ENV: "development" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    try {
      const [, url] = await waitForLine(child, /loaded the demo data[\s\S]*serving on (http:\/\/[\d.:]+)/);
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(200);

      // SIGTERM while requests are in flight: each of them is still answered in full, then the process exits 0.
      const login = await fetch(`${url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: "owner@chairside.test", password: "chairside-demo", issueToken: true } }),
      });
      const token = ((await login.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
      const input = encodeURIComponent(JSON.stringify({ json: { limit: 100, search: "a" } }));
      // A request the server had received is answered in full; one that reaches it while it closes is refused
      // (503, or a connection dropped before it was read): never run, safe to retry elsewhere.
      const inFlight = Array.from({ length: 20 }, () =>
        fetch(`${url}/trpc/patients.list?input=${input}`, { headers: { authorization: `Bearer ${token}` } }).then(
          async (response) => ({
            status: response.status,
            complete: "result" in ((await response.json()) as object),
            code: "",
          }),
          (error: unknown) => ({
            status: 0,
            complete: false,
            code: (error as { cause?: { code?: string } }).cause?.code,
          }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 5)); // the requests are on their way
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const answers = await Promise.all(inFlight);
      const answered = answers.filter((answer) => answer.status !== 0);
      expect(answered.length).toBeGreaterThan(0);
      // 200 and complete, or 503: arrived once closing had begun, refused without being run.
      expect(
        answered.every((answer) => (answer.status === 200 && answer.complete) || answer.status === 503),
        JSON.stringify(answers),
      ).toBe(true);
      expect(answered.some((answer) => answer.status === 200)).toBe(true);
      const unreached = answers.filter((answer) => answer.status === 0);
      expect(
        unreached.every((answer) => ["ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET"].includes(String(answer.code))),
      ).toBe(true);
      expect(await exited, output.join("")).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

/** Asks `check` again every 100 ms until it is true; fails after `attempts` tries. */
async function eventually(what: string, check: () => Promise<boolean>, attempts = 300): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not after ${attempts} attempts`);
}

describe("when the embedded PostgreSQL dies under the running server", () => {
  it("restarts it, /ready recovers by itself, and the audit entry of a read served before is written", async () => {
    const dataDir = join(folder, "killed");
    const child = spawn(process.execPath, ["src/main.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, CHAIRSIDE_DATA_DIR: dataDir, PORT: "0", NODE_ENV: "development" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const clients: pg.Client[] = [];
    /** A connection of the test's own to the server's database (the superuser's password is beside the data). */
    const connect = async (port: string) => {
      const password = readFileSync(`${dataDir}.password`, "utf8").trim();
      const client = new pg.Client({
        host: "127.0.0.1",
        port: Number(port),
        user: "chairside",
        password,
        database: "chairside",
      });
      client.on("error", () => {}); // it dies with the postmaster
      clients.push(client);
      await client.connect();
      return client;
    };
    try {
      const [, databasePort, url] = await waitForLine(
        child,
        /embedded PostgreSQL on 127\.0\.0\.1:(\d+)[\s\S]*serving on (http:\/\/[\d.:]+)/,
      );
      const login = await fetch(`${url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: "owner@chairside.test", password: "chairside-demo", issueToken: true } }),
      });
      const token = ((await login.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
      const database = await connect(databasePort as string);
      const [patient] = (await database.query<{ id: number }>("select id from patient order by id limit 1")).rows;

      // The audit trail cannot write while the test holds this lock: the read's entry is sure to be waiting in
      // the server's memory when PostgreSQL dies.
      await database.query("begin; lock table audit_entry in access exclusive mode");
      const input = encodeURIComponent(JSON.stringify({ json: { id: patient?.id } }));
      const read = await fetch(`${url}/trpc/patients.byId?input=${input}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.status).toBe(200);
      const postmaster = () => Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      const killed = postmaster();
      process.kill(killed, "SIGKILL");

      // Its backends may answer for a moment after it died: ready counts once another postmaster serves.
      await eventually(
        "another postmaster serves and /ready answers 200",
        async () => postmaster() !== killed && (await fetch(`${url}/ready`)).status === 200,
      );
      await eventually("the read's audit entry is written", async () => {
        const again = await connect(databasePort as string);
        const { rows } = await again.query(
          "select 1 from audit_entry where action = 'patient.view' and patient_id = $1",
          [patient?.id],
        );
        return rows.length === 1;
      });
      expect(child.exitCode).toBeNull(); // the same server process throughout
      const restarts = output
        .join("")
        .split("\n")
        .filter((line) => line.startsWith("{") && /restarted the embedded PostgreSQL/.test(line));
      expect(restarts, output.join("")).toHaveLength(1);
      expect(JSON.parse(restarts[0] as string)).toMatchObject({ level: 40, port: Number(databasePort) });

      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited, output.join("")).toBe(0);
    } finally {
      await Promise.all(clients.map((client) => client.end().catch(() => {})));
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

describe("Ctrl-C in the terminal (SIGINT to the whole foreground process group)", () => {
  it("reaches the server alone: it writes the audit trail and stops PostgreSQL itself, which nothing restarts", async () => {
    const child = spawn(process.execPath, ["src/main.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, CHAIRSIDE_DATA_DIR: join(folder, "interrupted"), PORT: "0", NODE_ENV: "development" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, as a terminal gives a command: the group's signal is what Ctrl-C sends.
      detached: true,
    });
    const output: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    try {
      const [, url] = await waitForLine(child, /loaded the demo data[\s\S]*serving on (http:\/\/[\d.:]+)/);
      const login = await fetch(`${url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: "owner@chairside.test", password: "chairside-demo", issueToken: true } }),
      });
      const token = ((await login.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
      const read = await fetch(`${url}/trpc/patients.list?input=${encodeURIComponent('{"json":{}}')}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      process.kill(-(child.pid as number), "SIGINT");
      expect(await exited, output.join("")).toBe(0);
      const said = output.join("");
      expect(said).toMatch(/audit trail written[\s\S]*database closed/);
      expect(said).not.toMatch(/stopped unasked|the audit trail cannot be written/);
    } finally {
      if (child.exitCode === null) process.kill(-(child.pid as number), "SIGKILL");
    }
  });
});

describe("the server's environment", () => {
  it("loads demo data by default only on the embedded database (decided at start), or as told", () => {
    expect(readServerEnv({}).SEED_DEMO_DATA).toBeUndefined();
    expect(readServerEnv({ SEED_DEMO_DATA: "false" }).SEED_DEMO_DATA).toBe(false);
    expect(readServerEnv({ SEED_DEMO_DATA: "true" }).SEED_DEMO_DATA).toBe(true);
  });

  it("rejects a port that is not a port, naming the variable", () => {
    expect(() => readServerEnv({ PORT: "http" })).toThrow(/^invalid environment: PORT: /);
  });
});
