import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "example-recall-list",
    include: ["test/**/*.test.ts"],
    // The tests run the example against a live API on a throwaway PostgreSQL of their own.
    globalSetup: ["../../packages/db/src/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
