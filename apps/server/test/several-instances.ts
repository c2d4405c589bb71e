// Chairside as it runs past one machine, for tests: a primary and a streaming replica (the embedded PostgreSQL's
// own binaries), PgBouncer in transaction mode in front of the primary, and server instances as real processes
// (src/main.ts) configured by the README's variables. `Browser` is one member of staff: a cookie jar sent to
// whichever instance the load balancer picks.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createOrm } from "@chairside/db";
import {
  type PgBouncer,
  type ReplicatedCluster,
  startPgBouncer,
  startReplicatedCluster,
} from "@chairside/db/replication";
import { seedDatabase } from "@chairside/db/seed";
import { DEMO_PASSWORD, SEED_TODAY } from "./harness.ts";

export interface Instance {
  url: string;
  /** Everything the process printed. */
  output: string[];
  stop(): Promise<void>;
}

export interface Deployment {
  cluster: ReplicatedCluster;
  bouncer: PgBouncer;
  /** The database on the primary, directly (for assertions). */
  primaryUrl: string;
  instances: Instance[];
  close(): Promise<void>;
}

const SERVER_ROOT = join(import.meta.dirname, "..");

function startInstance(env: Record<string, string>): Promise<Instance> {
  const child: ChildProcess = spawn(process.execPath, ["src/main.ts"], {
    cwd: SERVER_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = output.join("").match(/serving on (http:\/\/[\d.:]+)/);
      if (match?.[1]) {
        const url = match[1];
        resolve({
          url,
          output,
          stop: () =>
            new Promise<void>((stopped) => {
              if (child.exitCode !== null) return stopped();
              child.once("exit", () => stopped());
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.once("exit", (code) => reject(new Error(`a server exited with ${code} before serving:\n${output.join("")}`)));
  });
}

/** A seeded primary, its replica, PgBouncer before the primary, and `instances` server processes on them. */
export async function startDeployment(options: {
  instances: number;
  patients: number;
  replicaMaxLagMs: number;
}): Promise<Deployment> {
  const cluster = await startReplicatedCluster();
  const { primaryUrl, replicaUrl } = await cluster.database("chairside");
  const orm = await createOrm(primaryUrl);
  await orm.migrator.up();
  await orm.close();
  await seedDatabase(primaryUrl, { patients: options.patients, seed: 4, today: SEED_TODAY });
  await cluster.replica.caughtUp();
  const bouncer = await startPgBouncer(cluster.primary.url);
  const env = {
    NODE_ENV: "development",
    PORT: "0",
    SEED_DEMO_DATA: "false",
    CHAIRSIDE_SECRET: "the same secret on every instance, long enough",
    DATABASE_URL: bouncer.url("chairside"),
    DATABASE_DIRECT_URL: primaryUrl,
    DATABASE_REPLICA_URLS: replicaUrl,
    DATABASE_POOL_MODE: "transaction",
    DATABASE_REPLICA_MAX_LAG_MS: String(options.replicaMaxLagMs),
  };
  const instances = await Promise.all(Array.from({ length: options.instances }, () => startInstance(env)));
  return {
    cluster,
    bouncer,
    primaryUrl,
    instances,
    async close() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await bouncer.stop();
      await cluster.close();
    },
  };
}

/** What a tRPC call over HTTP answered. */
export interface Answer<T = unknown> {
  /** The procedure called. */
  path: string;
  status: number;
  data: T;
  /** The error's code (UNAUTHORIZED, SERVICE_UNAVAILABLE...), or null on success. */
  code: string | null;
}

/** One member of staff's browser: its cookies (the session, the last write) go to whichever instance it calls. */
export class Browser {
  readonly #cookies = new Map<string, string>();

  /** Another browser holding the same cookies (say, a session cookie someone kept after signing out). */
  copy(): Browser {
    const copy = new Browser();
    for (const [name, value] of this.#cookies) copy.#cookies.set(name, value);
    return copy;
  }

  async signIn(instance: Instance, email: string, password = DEMO_PASSWORD): Promise<Answer> {
    return this.mutate(instance, "auth.login", { email, password });
  }

  query<T = unknown>(instance: Instance, path: string, input?: unknown): Promise<Answer<T>> {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return this.#send(instance, path, query, { method: "GET" });
  }

  mutate<T = unknown>(instance: Instance, path: string, input?: unknown): Promise<Answer<T>> {
    return this.#send(instance, path, "", {
      method: "POST",
      headers: { "content-type": "application/json", origin: instance.url },
      body: JSON.stringify({ json: input ?? null }),
    });
  }

  async #send<T>(instance: Instance, path: string, query: string, init: RequestInit): Promise<Answer<T>> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(`${instance.url}/trpc/${path}${query}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      const expired = attributes.some((attribute) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute));
      if (expired || value === "") this.#cookies.delete(name.trim());
      else this.#cookies.set(name.trim(), value);
    }
    const body = (await response.json()) as {
      result?: { data: { json: T } };
      error?: { json: { data: { code: string } } };
    };
    return {
      path,
      status: response.status,
      data: body.result?.data.json as T,
      code: body.error?.json.data.code ?? null,
    };
  }
}

export interface ReadyBody {
  status: string;
  databases: { name: string; role: string; status: string; reads: number }[];
}

/** The instance's readiness answer. */
export async function readinessOf(instance: Instance): Promise<ReadyBody> {
  return (await (await fetch(`${instance.url}/ready`)).json()) as ReadyBody;
}
