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
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid environment: ${problems.join("; ")}`);
  }
  return parsed.data;
}
