import { defineConfig } from "@playwright/test";

// Two web servers and two ingest workers on one database and one vector store (e2e-scale/).
// Runs after the browser suite, which has built the app.
export default defineConfig({
  testDir: "e2e-scale",
  timeout: 300_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./e2e-scale/setup.ts",
  use: {
    trace: "off",
    launchOptions: { executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] },
  },
});
