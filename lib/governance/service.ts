import "server-only";
/**
 * The web server's model gate, created once per process on first use (kept on
 * globalThis like the database, so development reloads do not start a second
 * watcher). Chat and ingestion call `(await getModelGate()).assertRoleAllowed(role)`
 * before using a model.
 */
import { getCurrentModelPolicy, listModelApprovals, recordModelFilesChanged } from "@/db/queries/models";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { HealthCheck } from "@/lib/health";
import { logger } from "@/lib/log";
import { defaultManifestPath, loadManifest } from "@/lib/models/manifest";
import { policyFromConfig } from "@/lib/models/policy";
import { modelsHealth } from "./health";
import { filesChangedRecords } from "./files-changed";
import { createModelGate, type ModelGate } from "./model-gate";

const globalForGate = globalThis as unknown as { vouchModelGate?: Promise<ModelGate> };

async function open(): Promise<ModelGate> {
  const env = getEnv();
  const db = await getDb();
  const seed = policyFromConfig(env);
  const log = logger().child({ component: "models" });
  return createModelGate({
    manifestFile: defaultManifestPath(env),
    loadManifest,
    loadState: async () => {
      const [stored, approvals] = await Promise.all([getCurrentModelPolicy(db, { seed }), listModelApprovals(db)]);
      return { policy: stored.policy, policyVersion: stored.version, approvals };
    },
    onFilesChanged: (event) => recordModelFilesChanged(db, { changes: filesChangedRecords(event) }),
    recheckIntervalMs: env.MODEL_RECHECK_INTERVAL_S * 1000,
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
  });
}

/** The process's model gate (loads the manifest, verifies files and starts the re-check on first use). */
export function getModelGate(): Promise<ModelGate> {
  globalForGate.vouchModelGate ??= open().catch((error: unknown) => {
    globalForGate.vouchModelGate = undefined; // let the next caller try again (e.g. the database was not up yet)
    throw error;
  });
  return globalForGate.vouchModelGate;
}

/** The "models" component of /api/health: down when any role with an enabled model is refused. */
export const modelsHealthCheck: HealthCheck = {
  name: "models",
  async check() {
    return { ...modelsHealth((await getModelGate()).status()) };
  },
};
