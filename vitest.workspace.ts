// Every test project of the workspace. Vitest 5 no longer reads this file by itself: vitest.config.ts
// re-exports it, and `pnpm test` runs `vitest run --config vitest.workspace.ts`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts", "examples/*/vitest.config.ts"],
  },
});
