/**
 * npm test — typecheck, lint, unit, integration and browser tests, in that
 * order, then one summary line with the counts of passed and failed tests.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reports = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-test-report-"));
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const CHROMIUM = "/usr/bin/chromium";

interface Step {
  name: string;
  run(): { ok: boolean; passed?: number; failed?: number; failures?: string[] };
}

function exec(cmd: string, args: string[], env: Record<string, string> = {}) {
  // The external database is for its own step only: every other step gets the embedded default.
  const { VOUCH_TEST_DATABASE_URL: _external, ...inherited } = process.env;
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...inherited, ...env } });
  return result.status === 0;
}

function vitest(project: string, options: { name?: string; env?: Record<string, string> } = {}): Step {
  return {
    name: options.name ?? `${project} tests`,
    run() {
      const out = path.join(reports, `${options.name ? "external-" : ""}${project}.json`);
      const ok = exec(bin("vitest"), ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], options.env);
      const r = readJson(out) as { numPassedTests?: number; numFailedTests?: number; testResults?: { name: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[] } | undefined;
      // Named again in the summary: CI keeps only the end of a long log.
      const failures = (r?.testResults ?? []).flatMap((file) =>
        (file.assertionResults ?? []).filter((a) => a.status === "failed").map((a) => `${path.relative(root, file.name)} › ${a.fullName}: ${(a.failureMessages?.[0] ?? "").split("\n")[0]!.slice(0, 300)}`),
      );
      return { ok, passed: r?.numPassedTests ?? 0, failed: r?.numFailedTests ?? (ok ? 0 : 1), failures };
    },
  };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

const e2eDataDir = path.join(os.tmpdir(), "vouch-e2e");

/** A Playwright run, counted from its JSON report. */
function playwright(args: string[], report: string, env: Record<string, string> = {}) {
  const out = path.join(reports, report);
  const ok = exec(bin("playwright"), ["test", ...args, "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out, ...env });
  const stats = (readJson(out) as { stats?: { expected?: number; unexpected?: number; flaky?: number } } | undefined)?.stats;
  return { ok, passed: (stats?.expected ?? 0) + (stats?.flaky ?? 0), failed: stats?.unexpected ?? (ok ? 0 : 1) };
}
const steps: Step[] = [
  { name: "typecheck", run: () => ({ ok: exec(bin("tsc"), ["--noEmit", "-p", "."]) }) },
  { name: "lint", run: () => ({ ok: exec(bin("eslint"), [".", "--max-warnings=0"]) }) },
  vitest("unit"),
  vitest("integration"),
  // With VOUCH_TEST_DATABASE_URL (an external server, as .ci/run starts one), the same suite against it.
  ...(process.env.VOUCH_TEST_DATABASE_URL
    ? [vitest("integration", { name: "integration tests on the external PostgreSQL", env: { VOUCH_TEST_DATABASE_URL: process.env.VOUCH_TEST_DATABASE_URL } })]
    : []),
  {
    name: "browser tests",
    run() {
      if (!fs.existsSync(CHROMIUM)) {
        console.error(`\nChromium is missing at ${CHROMIUM}. Install Debian's package, then run npm test again:\n\n    sudo apt-get update && sudo apt-get install -y chromium\n`);
        return { ok: false, failed: 1 };
      }
      fs.rmSync(e2eDataDir, { recursive: true, force: true });
      const result = playwright([], "e2e.json");
      fs.rmSync(e2eDataDir, { recursive: true, force: true });
      return result;
    },
  },
  {
    // `npm start` with nothing set, on its own port and data folder: what a new user gets.
    name: "fresh install",
    run: () => (fs.existsSync(CHROMIUM) ? playwright(["-c", "playwright.fresh.config.ts"], "e2e-fresh.json") : { ok: false, failed: 1 }),
  },
  {
    // Two web servers and two ingest workers on one database (the external one when CI gives it) and one vector store.
    name: "scale-out",
    run: () => (fs.existsSync(CHROMIUM) ? playwright(["-c", "playwright.scale.config.ts"], "e2e-scale.json", { VOUCH_TEST_DATABASE_URL: process.env.VOUCH_TEST_DATABASE_URL ?? "" }) : { ok: false, failed: 1 }),
  },
];

let passed = 0;
let failed = 0;
const failedSteps: string[] = [];
const failures: string[] = [];
for (const step of steps) {
  console.log(`\n── ${step.name} ──`);
  const r = step.run();
  passed += r.passed ?? 0;
  failed += r.failed ?? 0;
  failures.push(...(r.failures ?? []).map((f) => `[${step.name}] ${f}`));
  if (!r.ok) {
    failedSteps.push(step.name);
    if (r.failed === undefined || r.failed === 0) failed += 1;
  }
}
fs.rmSync(reports, { recursive: true, force: true });
if (failures.length) console.log(`\nFailed tests:\n${failures.map((f) => `  ${f}`).join("\n")}`);
console.log(failedSteps.length ? `\nFailed steps: ${failedSteps.join(", ")}` : "\nAll steps passed.");
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps.length ? 1 : 0);
