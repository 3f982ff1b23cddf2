import path from "node:path";
import { defineConfig } from "vitest/config";

// Two suites: unit tests (*.test.ts, no database) and integration tests
// (*.int.test.ts) that share one embedded PostgreSQL started by the global setup.
// LANCE_CPU_THREADS reaches LanceDB only through the environment (see lib/env.ts).
const alias = { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts") };
const exclude = ["node_modules/**", ".next/**", "data/**", "e2e/**"];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...exclude, "**/*.int.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          env: { VOUCH_TEST: "1", LOG_LEVEL: "silent", LANCE_CPU_THREADS: "4" },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude,
          environment: "node",
          globalSetup: ["test/global-postgres.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          env: { VOUCH_TEST: "1", LOG_LEVEL: "silent", LANCE_CPU_THREADS: "4" },
        },
      },
    ],
  },
});
