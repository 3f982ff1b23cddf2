import { defineConfig } from "@playwright/test";
import { E2E } from "./e2e/fixtures/config";

// Runs against the production build started the way a user starts it (`npm start`),
// on its own data folder and port, in Debian's Chromium (never a downloaded browser).
export default defineConfig({
  testDir: "e2e",
  // The screenshots are taken on request (`npm run screens`), not on every test run.
  testIgnore: "screens/**",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./e2e/fixtures/global-setup.ts",
  use: {
    baseURL: E2E.baseUrl,
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: "node --import tsx scripts/start.ts",
    // Ready once the app answers with its database; a refused model role (e.g. hashes not recorded yet) must not hold the suite.
    url: `${E2E.baseUrl}/api/health?component=database`,
    timeout: 900_000,
    reuseExistingServer: false,
    // SIGTERM, as an operator stops it: `npm start` then stops its children and the embedded PostgreSQL.
    // (The default SIGKILL would leave that PostgreSQL running after the suite.)
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: E2E.serverEnv,
  },
});
