// `pnpm bench --instances N --replica`: the mixed load (mixed-load.ts) on Chairside as it runs past one machine,
// beside the same load on one instance. One seeded primary and a streaming replica made from the embedded
// PostgreSQL's binaries, PgBouncer (Debian's, transaction mode) in front of the primary, N server processes
// configured by the README's variables. Measured: errors, the share of reads the replica served (the instances'
// /ready counters), the replica's lag (PostgreSQL's own pg_stat_replication.replay_lag, sampled), and the CPU each
// tier spent per request.
import { join } from "node:path";
import { createOrm } from "@chairside/db";
import { query, startPgBouncer, startReplicatedCluster } from "@chairside/db/replication";
import { seedDatabase } from "@chairside/db/seed";
import { newSecret } from "./chairside-server.ts";
import { BENCH_TODAY } from "./datasets.ts";
import { signInOverHttp } from "./http-load.ts";
import { type MixedLoadResult, mixedErrors, runMixedLoad } from "./mixed-load.ts";
import { type ServerProcess, startServerProcess } from "./processes.ts";
import { OWNER } from "./product.ts";
import { percentile } from "./stats.ts";
import { clusterTicks, processTicks, ticksToMs } from "./tier-cpu.ts";

const MAIN = join(import.meta.dirname, "..", "..", "apps", "server", "src", "main.ts");
const LAG_SAMPLE_EVERY_MS = 100;

export interface ScaleOutOptions {
  patients: number;
  seed: number;
  instances: number;
  loadDurationS: number;
  log: (line: string) => void;
}

/** What one arrangement did under the mixed load. */
export interface ArrangementResult {
  label: string;
  instances: number;
  replica: boolean;
  pooler: boolean;
  mixed: MixedLoadResult;
  errors: number;
  /** Reads (query calls) routed to each kind of database during the load, from the instances' /ready. */
  reads: { primary: number; replica: number };
  /** replay_lag samples during the load, ms (null without a replica). */
  lagMs: { p50: number; p99: number; max: number; samples: number } | null;
  /** CPU per request, ms, by tier. */
  cpuPerRequestMs: { servers: number; primary: number; replica: number | null; pgbouncer: number | null };
}

/** A table's size after the runs: rows, and bytes with its indexes and TOAST. */
export interface TableSize {
  table: string;
  rows: number;
  bytes: number;
}

export interface ScaleOutReport {
  patients: number;
  appointments: number;
  tables: TableSize[];
  clinics: { clinic: number; patients: number; appointments: number }[];
  single: ArrangementResult;
  scaled: ArrangementResult;
}

interface ReadyDatabases {
  databases: { role: "primary" | "replica"; reads: number }[];
}

async function readsOf(servers: ServerProcess[]): Promise<{ primary: number; replica: number }> {
  const totals = { primary: 0, replica: 0 };
  for (const server of servers) {
    const ready = (await (await fetch(`${server.url}/ready`)).json()) as ReadyDatabases;
    for (const database of ready.databases) totals[database.role] += database.reads;
  }
  return totals;
}

export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutReport> {
  const { log } = options;
  log(`scale-out: a primary and a streaming replica, PgBouncer, ${options.instances} instances`);
  const cluster = await startReplicatedCluster({ durable: true });
  try {
    const { primaryUrl, replicaUrl } = await cluster.database("chairside");
    const orm = await createOrm(primaryUrl);
    await orm.migrator.up();
    await orm.close();
    log(`seeding ${options.patients.toLocaleString("en-US")} patients (seed ${options.seed})`);
    await seedDatabase(primaryUrl, { patients: options.patients, seed: options.seed, today: BENCH_TODAY });
    await cluster.replica.caughtUp(120_000);
    const clinics = await query<{ clinic: number; patients: string; appointments: string }>(
      primaryUrl,
      `select p.clinic_id as clinic, count(distinct p.id) as patients, count(a.id) as appointments
         from patient p left join appointment a on a.patient_id = p.id group by p.clinic_id order by p.clinic_id`,
    );
    const bouncer = await startPgBouncer(cluster.primary.url);
    const secret = newSecret();
    const measure = async (
      label: string,
      env: Record<string, string>,
      instances: number,
      tiers: { replica: boolean; pooler: boolean },
    ): Promise<ArrangementResult> => {
      log(`${label}: starting ${instances} instance(s)`);
      const servers = await Promise.all(
        Array.from({ length: instances }, () =>
          startServerProcess(
            MAIN,
            { NODE_ENV: "production", CHAIRSIDE_SECRET: secret, SEED_DEMO_DATA: "false", PORT: "0", ...env },
            /serving on (http:\/\/[\d.:]+)/,
            "a Chairside instance",
          ),
        ),
      );
      try {
        const first = servers[0] as ServerProcess;
        const token = await signInOverHttp(first.url, OWNER.email, OWNER.password);
        const lags: number[] = [];
        const sampler = tiers.replica
          ? setInterval(() => {
              query<{ lag_ms: string | null }>(
                primaryUrl,
                "select extract(epoch from replay_lag) * 1000 as lag_ms from pg_stat_replication",
              ).then(
                (rows) => lags.push(Number(rows[0]?.lag_ms ?? 0)),
                () => {},
              );
            }, LAG_SAMPLE_EVERY_MS)
          : undefined;
        const readsBefore = await readsOf(servers);
        const cpuBefore = {
          servers: servers.reduce((sum, server) => sum + processTicks(server.pid), 0),
          primary: clusterTicks(cluster.primary.dataDir),
          replica: clusterTicks(cluster.replica.dataDir),
          pgbouncer: processTicks(bouncer.pid()),
        };
        log(`${label}: mixed load, ${options.loadDurationS} s`);
        const mixed = await runMixedLoad({
          server: first,
          servers,
          databaseUrl: primaryUrl,
          token,
          durationS: options.loadDurationS,
          seed: options.seed,
        });
        clearInterval(sampler);
        const cpuAfter = {
          servers: servers.reduce((sum, server) => sum + processTicks(server.pid), 0),
          primary: clusterTicks(cluster.primary.dataDir),
          replica: clusterTicks(cluster.replica.dataDir),
          pgbouncer: processTicks(bouncer.pid()),
        };
        const readsAfter = await readsOf(servers);
        const perRequest = (before: number, after: number) => ticksToMs(after - before) / Math.max(1, mixed.requests);
        const result: ArrangementResult = {
          label,
          instances,
          ...tiers,
          mixed,
          errors: mixedErrors(mixed),
          reads: {
            primary: readsAfter.primary - readsBefore.primary,
            replica: readsAfter.replica - readsBefore.replica,
          },
          lagMs: tiers.replica
            ? {
                p50: percentile(lags, 50),
                p99: percentile(lags, 99),
                max: Math.max(0, ...lags),
                samples: lags.length,
              }
            : null,
          cpuPerRequestMs: {
            servers: perRequest(cpuBefore.servers, cpuAfter.servers),
            primary: perRequest(cpuBefore.primary, cpuAfter.primary),
            replica: tiers.replica ? perRequest(cpuBefore.replica, cpuAfter.replica) : null,
            pgbouncer: tiers.pooler ? perRequest(cpuBefore.pgbouncer, cpuAfter.pgbouncer) : null,
          },
        };
        const share = result.reads.replica / Math.max(1, result.reads.replica + result.reads.primary);
        log(
          `${label}: ${mixed.rps.toFixed(0)} req/s, p50 ${mixed.latencyP50.toFixed(1)} ms, p99 ${mixed.latencyP99.toFixed(1)} ms, ` +
            `errors ${result.errors}, conflicts ${mixed.conflicts}, replica share ${(share * 100).toFixed(1)} %` +
            (result.lagMs ? `, lag p50 ${result.lagMs.p50.toFixed(1)} ms p99 ${result.lagMs.p99.toFixed(1)} ms` : ""),
        );
        for (const sample of mixed.errorSamples) log(`    ${sample}`);
        return result;
      } finally {
        await Promise.all(servers.map((server) => server.stop()));
      }
    };

    try {
      const single = await measure("one instance, the primary alone", { DATABASE_URL: primaryUrl }, 1, {
        replica: false,
        pooler: false,
      });
      await cluster.replica.caughtUp(60_000);
      const scaled = await measure(
        `${options.instances} instances, a replica, PgBouncer`,
        {
          DATABASE_URL: bouncer.url("chairside"),
          DATABASE_DIRECT_URL: primaryUrl,
          DATABASE_REPLICA_URLS: replicaUrl,
          DATABASE_POOL_MODE: "transaction",
        },
        options.instances,
        { replica: true, pooler: true },
      );
      const tables: TableSize[] = [];
      for (const table of ["patient", "appointment", "audit_entry", "staff_session"]) {
        const [row] = await query<{ rows: string; bytes: string }>(
          primaryUrl,
          `select count(*) as rows, pg_total_relation_size('${table}') as bytes from ${table}`,
        );
        tables.push({ table, rows: Number(row?.rows ?? 0), bytes: Number(row?.bytes ?? 0) });
      }
      return {
        patients: options.patients,
        tables,
        appointments: clinics.reduce((sum, row) => sum + Number(row.appointments), 0),
        clinics: clinics.map((row) => ({
          clinic: row.clinic,
          patients: Number(row.patients),
          appointments: Number(row.appointments),
        })),
        single,
        scaled,
      };
    } finally {
      await bouncer.stop();
    }
  } finally {
    await cluster.close();
  }
}
