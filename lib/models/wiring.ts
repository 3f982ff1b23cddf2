/**
 * The model gate wired to Postgres: policy (seeded from the settings),
 * approvals, and audit events for files changed on disk. No "server-only" here,
 * so a worker started from a script (ingestion) can open its own gate.
 */
import type { Database } from "@/db/client";
import { listModelApprovals, recordModelFilesChanged } from "@/db/queries/models";
import { getCurrentModelPolicy } from "@/lib/models/policy-store";
import type { Env } from "@/lib/env";
import { defaultManifestPath } from "@/lib/models/manifest";
import { policyFromConfig } from "@/lib/models/policy";
import { loadEffectiveManifest } from "./effective-manifest";
import { filesChangedRecords } from "./files-changed";
import { createModelGate, type ModelGate, type ModelGateDeps } from "./model-gate";

export type GateSettings = Pick<Env, "modelsDir" | "dataDir" | "MODEL_RECHECK_INTERVAL_S" | "POLICY_USE" | "POLICY_ALLOWED_LICENSES" | "POLICY_LOCALITY"> & { manifestFile?: string };

/** Open a gate on `db`: load the manifest, verify files, decide, and start the periodic re-check (stop() it when done). */
export function openModelGate(db: Database, settings: GateSettings, log?: ModelGateDeps["log"]): Promise<ModelGate> {
  const seed = policyFromConfig(settings);
  return createModelGate({
    manifestFile: defaultManifestPath(settings),
    // The committed manifest with what admins added and enabled in the browser (kept in the data folder).
    loadManifest: (file) => loadEffectiveManifest(file, settings.dataDir),
    loadState: async () => {
      const [stored, approvals] = await Promise.all([getCurrentModelPolicy(db, { seed }), listModelApprovals(db)]);
      return { policy: stored.policy, policyVersion: stored.version, approvals };
    },
    onFilesChanged: (event) => recordModelFilesChanged(db, { changes: filesChangedRecords(event) }),
    recheckIntervalMs: settings.MODEL_RECHECK_INTERVAL_S * 1000,
    log,
  });
}
