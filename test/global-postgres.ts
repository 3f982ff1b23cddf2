/**
 * Vitest global setup: one real PostgreSQL server for the integration suite. The embedded one, in a
 * temp folder removed afterwards; or, with VOUCH_TEST_DATABASE_URL, an external server reached as a
 * role that may create databases (CI runs the suite both ways: .ci/external-postgres.sh).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { acquireEmbeddedPostgres } from "../db/runtime/embedded";

export default async function setup(project: TestProject) {
  const external = process.env.VOUCH_TEST_DATABASE_URL;
  if (external) {
    project.provide("databaseUrl", external);
    return async () => {};
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-test-pg-"));
  fs.chmodSync(dir, 0o755); // the server runs as the postgres user when tests run as root
  const quiet = { info: () => {}, warn: (m: string) => process.stderr.write(`${m}\n`) };
  const db = await acquireEmbeddedPostgres(dir, quiet);
  project.provide("databaseUrl", db.url);
  return async () => {
    await db.release();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
