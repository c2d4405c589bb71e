// `pnpm db:migrate | db:migration:create | db:seed | db:reset`: the database chores a developer runs.
import { parseArgs } from "node:util";
import { createOrm } from "./orm.ts";
import { openDatabase } from "./postgres/database.ts";
import { DatabaseStartupError } from "./postgres/errors.ts";
import { createProgressBar, DEMO_STAFF, seedDatabase } from "./seed/index.ts";
import { DEMO_PATIENTS, DEMO_SEED, migrateToLatest, patientCount, todayUtc } from "./setup.ts";

const USAGE = `usage:
  pnpm db:migrate                      apply pending migrations
  pnpm db:migration:create [name]      write a migration for what the entities changed
  pnpm db:seed [--patients N] [--seed S] [--today YYYY-MM-DD] [--force]
                                       replace all data with a generated data set
                                       (default: ${DEMO_PATIENTS} patients, seed ${DEMO_SEED}; same seed and day, same rows)
  pnpm db:reset [--force]              drop every table, migrate, load the demo data
--force is needed to replace data in a database named by DATABASE_URL.`;

class UsageError extends Error {}

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value.replaceAll("_", ""));
  if (!Number.isSafeInteger(number) || number < 0)
    throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return number;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      patients: { type: "string" },
      seed: { type: "string" },
      today: { type: "string" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  if (!["migrate", "migration:create", "seed", "reset"].includes(command)) {
    throw new UsageError(`unknown command "${command}"`);
  }
  const patients = positiveInteger(values.patients, "patients", DEMO_PATIENTS);
  const seed = positiveInteger(values.seed, "seed", DEMO_SEED);
  const today = values.today ?? todayUtc();
  const isCalendarDate =
    /^\d{4}-\d{2}-\d{2}$/.test(today) && new Date(`${today}T00:00:00Z`).toISOString().startsWith(today);
  if (!isCalendarDate) {
    throw new UsageError(`--today must be a date like 2026-01-31, got "${today}"`);
  }

  const database = await openDatabase();
  const orm = await createOrm(database.url);
  try {
    console.log(`database: ${database.description}`);
    // Replacing data is routine on the embedded database, and a deliberate act anywhere else.
    const mayReplace = async () => {
      if (database.embedded || values.force) return;
      const existing = await patientCount(orm).catch(() => 0);
      if (existing > 0) {
        throw new UsageError(`${database.description} holds ${existing} patients; add --force to replace them`);
      }
    };

    if (command === "reset") {
      await mayReplace();
      await orm.migrator.down({ to: 0 });
      console.log("dropped every table");
    }
    const applied = await migrateToLatest(orm);
    console.log(applied.length ? `applied ${applied.join(", ")}` : "migrations: up to date");

    if (command === "migration:create") {
      const created = await orm.migrator.create(undefined, false, false, rest[0]);
      console.log(
        created.fileName ? `wrote ${created.fileName}` : "the entities match the schema: no migration needed",
      );
    }
    if (command === "seed" || command === "reset") {
      if (command === "seed") await mayReplace();
      const result = await seedDatabase(database.url, { patients, seed, today, onProgress: createProgressBar() });
      console.log(
        `seeded ${result.patients} patients, ${result.appointments} appointments, ${result.alerts} medical alerts, ${result.staff} staff in ${(result.ms / 1000).toFixed(1)} s (seed ${seed}, today ${today})`,
      );
      console.log(`demo sign-ins (local use only): ${DEMO_STAFF.map((s) => `${s.email} / ${s.password}`).join(", ")}`);
    }
  } finally {
    await orm.close();
    await database.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const badArgument = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ?? false;
  if (error instanceof DatabaseStartupError || error instanceof UsageError || badArgument) {
    console.error(`chairside: ${(error as Error).message}`);
    if (!(error instanceof DatabaseStartupError)) console.error(USAGE);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
