import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "web",
    include: ["test/**/*.test.ts"],
    // Seeds a practice, builds the SPA; every test file then serves both on a database of its own.
    globalSetup: ["test/global-setup.ts"],
    // One Chromium at a time: a 2-core CI machine also runs the database and the API for each file.
    fileParallelism: false,
    testTimeout: 120_000,
    // Conditions in a browser can take a while on a busy 2-core machine; waiting is not asserting a time.
    expect: { poll: { timeout: 20_000, interval: 50 } },
    hookTimeout: 180_000,
  },
});
