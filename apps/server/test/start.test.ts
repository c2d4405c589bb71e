import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readServerEnv } from "../src/env.ts";

const folder = mkdtempSync(join(tmpdir(), "chairside-start-"));
chmodSync(folder, 0o755); // PostgreSQL runs as the postgres user when we are root
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) resolve(match);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) =>
      reject(new Error(`server exited with ${code} before printing ${pattern}:\n${output}`)),
    );
  });
}

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
