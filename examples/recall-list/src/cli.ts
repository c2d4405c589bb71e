// One run of the recall list: sign in, check the clinic is one of the caller's, stream the CSV. Any failure is one
// line on stderr and exit code 1, and never a stack trace.
import { once } from "node:events";
import { type ChairsideClient, createChairsideClient, readChairsideError, signIn } from "@chairside/client";
import { type RecallListOptions, readOptions, USAGE, UsageError } from "./options.ts";
import { recallList } from "./recall-list.ts";

export interface Terminal {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A request the server would refuse: said before any output, with the clinics the caller does have. */
class Refusal extends Error {
  override name = "Refusal";
}

/** Runs the recall list and returns the exit code. */
export async function runRecallList({ argv, env, stdout, stderr }: Terminal): Promise<number> {
  let stage = "reading the arguments";
  try {
    const options = readOptions(argv, env);
    if (options === "help") {
      stdout.write(USAGE);
      return 0;
    }
    stage = "signing in";
    const client = await connect(options);
    stage = "checking the clinic";
    // Also where a token that no longer works is refused, before any output.
    const clinics = await client.clinics.list.query();
    const clinic = clinics.find((candidate) => candidate.id === options.clinicId);
    if (!clinic) {
      const yours = clinics.map((clinic) => `${clinic.id} (${clinic.name})`).join(", ") || "none";
      throw new Refusal(`clinic ${options.clinicId} is not one of yours; yours: ${yours}`);
    }
    stage = "listing the patients due for recall";
    await writeAll(stdout, recallList(client, clinic));
    return 0;
  } catch (error) {
    // The reader went away (`| head`): it has what it wanted.
    if (error instanceof Error && (error as NodeJS.ErrnoException).code === "EPIPE") return 0;
    stderr.write(`recall-list: ${describe(error, stage)}\n`);
    return 1;
  }
}

async function connect({ url, credentials }: RecallListOptions): Promise<ChairsideClient> {
  if ("token" in credentials) return createChairsideClient({ url, token: credentials.token });
  return (await signIn({ url, ...credentials })).client;
}

/** Writes every chunk, waiting whenever the reader is behind; stops at the output's first error. */
async function writeAll(out: NodeJS.WritableStream, chunks: AsyncIterable<string>): Promise<void> {
  // Kept attached: the output may report an error between writes, and unheard it would crash the process.
  const output: { error: unknown } = { error: null };
  out.on("error", (error) => {
    output.error ??= error;
  });
  for await (const chunk of chunks) {
    if (output.error) throw output.error;
    if (!out.write(chunk)) await once(out, "drain");
  }
  if (output.error) throw output.error;
}

function describe(error: unknown, stage: string): string {
  if (error instanceof UsageError) return `${error.message} (see --help)`;
  if (error instanceof Refusal) return error.message;
  const api = readChairsideError(error);
  let line: string;
  if (!api) line = `${stage} failed: ${error instanceof Error ? error.message : String(error)}`;
  else if (api.code === null) line = `${stage} failed: no answer from the server (${causeOf(error) ?? api.message})`;
  else line = `${stage} failed: ${api.code}: ${api.message}`;
  return line.replace(/\s*\n\s*/g, " ");
}

/** The network error under a failed call (ECONNREFUSED, ENOTFOUND...), if there is one. */
function causeOf(error: unknown): string | undefined {
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}
