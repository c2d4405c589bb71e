// The server's settings, validated once; nothing else in the server reads process.env.
import { z } from "zod";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** 0 lets the OS pick a free port (printed at start). */
    PORT: z.coerce.number().int().min(0).max(65535).default(0),
    HOST: z.string().min(1).default("127.0.0.1"),
    /** Load demo data into an empty database at start (the quick start); off in production. */
    SEED_DEMO_DATA: z
      .enum(["true", "false"])
      .optional()
      .transform((value) => (value === undefined ? undefined : value === "true")),
    /** Other services' browser origins allowed to call the API, comma-separated (e.g. https://recall.example.com). */
    CORS_ORIGINS: z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url())),
    /** Signs list cursors; required in production, where every instance must share it. */
    CHAIRSIDE_SECRET: z.string().min(32).optional(),
  })
  .refine((env) => env.NODE_ENV !== "production" || env.CHAIRSIDE_SECRET, {
    path: ["CHAIRSIDE_SECRET"],
    message: "required in production (32 or more characters, the same on every instance)",
  });

export type ServerEnv = z.infer<typeof schema>;

export function readServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid environment: ${problems.join("; ")}`);
  }
  return parsed.data;
}
