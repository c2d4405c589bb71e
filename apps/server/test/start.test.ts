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
  it("creates the embedded database, migrates, loads demo data, serves, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["src/main.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, CHAIRSIDE_DATA_DIR: join(folder, "pgdata"), PORT: "0", NODE_ENV: "development" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const [, url] = await waitForLine(child, /loaded the demo data[\s\S]*serving on (http:\/\/[\d.:]+)/);
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(200);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
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
