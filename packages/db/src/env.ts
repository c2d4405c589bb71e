// The database settings a developer or operator can give, validated once; nothing else reads process.env.
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

const schema = z.object({
  /** Any PostgreSQL (managed, Supabase...). Unset: the embedded PostgreSQL below. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where the embedded PostgreSQL keeps its data between runs. */
  CHAIRSIDE_DATA_DIR: z.string().min(1).default(`${repositoryRoot}.data/postgres`),
  /** Pin the embedded PostgreSQL to a port; by default it takes a free one. */
  CHAIRSIDE_PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

export type DatabaseEnv = z.infer<typeof schema>;

export function readDatabaseEnv(source: NodeJS.ProcessEnv = process.env): DatabaseEnv {
  return parse(schema, source);
}

/** How a server instance reaches the databases beyond DATABASE_URL: several instances, replicas, a pooler. */
const connectionsSchema = z.object({
  /** A direct connection to the primary when DATABASE_URL is a pooler's: for LISTEN and the per-role settings. */
  DATABASE_DIRECT_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Streaming replicas that serve the reads, comma-separated. */
  DATABASE_REPLICA_URLS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^postgres(ql)?$/ }))),
  /** A replica further behind the primary than this serves no read. */
  DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).default(5_000),
  /** What DATABASE_URL (and the replicas' URLs) lead to: see PoolMode in postgres/server-database.ts. */
  DATABASE_POOL_MODE: z.enum(["session", "transaction", "transaction-prepared"]).default("session"),
});

export type ConnectionsEnv = z.infer<typeof connectionsSchema>;

export function readConnectionsEnv(source: NodeJS.ProcessEnv = process.env): ConnectionsEnv {
  return parse(connectionsSchema, source);
}

function parse<Schema extends z.ZodType>(schema: Schema, source: NodeJS.ProcessEnv): z.infer<Schema> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid environment: ${problems.join("; ")}`);
  }
  return parsed.data;
}
