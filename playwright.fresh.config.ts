import { defineConfig } from "@playwright/test";

// A fresh install, as a new user starts it: `npm start` with nothing set but its own port and
// data folder. The spec starts and stops the server itself, to read the one-time demo passwords.
export default defineConfig({
  testDir: "e2e-fresh",
  timeout: 600_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
