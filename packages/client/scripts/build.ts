// `pnpm --filter @chairside/client build`: the package as another repository installs it, dist/index.js and
// dist/index.d.ts, with the router's types in it and nothing of the server's or the database's code.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type Plugin, type RollupOutput, rollup } from "rollup";
import { dts } from "rollup-plugin-dts";

const packageDir = join(import.meta.dirname, "..");
const repoRoot = join(packageDir, "..", "..");
const dist = join(packageDir, "dist");
/** tsc's output, mirroring the repository's layout: the client's JS, and the declarations it is typed from. */
const emitted = join(dist, "tsc");
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
/** What the bundles may import: what an installer of the package gets, nothing of the workspace. */
const installed = new Set([
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}),
]);

/**
 * The server's request context (ORM, Fastify reply, services) is in the router's type but types no procedure's
 * input, output or error; published as `object`, so that the declarations need none of the server's packages.
 */
const SERVER_CONTEXT = join(emitted, "apps", "server", "src", "trpc", "context.d.ts");

function fail(message: string): never {
  console.error(`@chairside/client build: ${message}`);
  process.exit(1);
}

/** The workspace's own TypeScript, once over the client, the server and the database (tsconfig.build.json). */
function emitWithTsc(): void {
  const result = spawnSync("tsc", ["-p", join(packageDir, "tsconfig.build.json")], { stdio: "inherit" });
  if (result.error) fail(`could not run tsc: ${result.error.message}`);
  if (result.status !== 0) fail("tsc failed (see above)");
  if (!existsSync(SERVER_CONTEXT)) fail(`${relative(repoRoot, SERVER_CONTEXT)} is missing: where is the context now?`);
}

/** Workspace packages (`@chairside/db`, ...) resolve to what tsc emitted for their source: `.js` or `.d.ts`. */
function emittedWorkspace(extension: ".js" | ".d.ts"): Plugin["resolveId"] {
  return (source) => {
    if (!source.startsWith("@chairside/")) return null;
    const sourceFile = fileURLToPath(import.meta.resolve(source));
    const output = join(emitted, relative(repoRoot, sourceFile)).replace(/\.ts$/, extension);
    if (!existsSync(output)) fail(`nothing emitted for ${source}: add its entry to tsconfig.build.json`);
    return output;
  };
}

/** The server's request limits, bundled into the client's JS (pure constants). */
const workspaceModules: Plugin = { name: "chairside-workspace-modules", resolveId: emittedWorkspace(".js") };

const workspaceDeclarations: Plugin = {
  name: "chairside-workspace-declarations",
  resolveId: emittedWorkspace(".d.ts"),
  load(id) {
    return id === SERVER_CONTEXT ? "export type Context = object;\n" : null;
  },
};

/** Any import left in a bundle must be a dependency the package declares; a leak of the workspace fails the build. */
function checkImports(output: RollupOutput, file: string): void {
  for (const chunk of output.output) {
    if (chunk.type !== "chunk") continue;
    for (const imported of chunk.imports) {
      const name = imported
        .split("/")
        .slice(0, imported.startsWith("@") ? 2 : 1)
        .join("/");
      if (!installed.has(name)) fail(`${file} imports ${imported}, which the package does not depend on`);
    }
  }
}

async function bundle(input: string, file: string, plugins: Plugin[]): Promise<void> {
  const build = await rollup({
    input,
    plugins,
    external: (id) => !id.startsWith(".") && !isAbsolute(id) && !id.startsWith("@chairside/"),
    onwarn(warning) {
      fail(`${file}: ${warning.message}`);
    },
  });
  const output = await build.write({ file: join(dist, file), format: "es" });
  await build.close();
  checkImports(output, file);
}

rmSync(dist, { recursive: true, force: true });
emitWithTsc();
const clientSource = join(emitted, "packages", "client", "src");
await bundle(join(clientSource, "index.js"), "index.js", [workspaceModules]);
await bundle(join(clientSource, "index.d.ts"), "index.d.ts", [workspaceDeclarations, dts()]);
rmSync(emitted, { recursive: true });
