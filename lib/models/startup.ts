/**
 * The model check `npm start` runs before the web server: it stops on a
 * malformed manifest or policy setting, and prints which roles are refused and why.
 * Used by scripts, so no "server-only" here.
 */
import path from "node:path";
import type { Database } from "@/db/client";
import { listModelApprovals } from "@/db/queries/models";
import { getCurrentModelPolicy } from "@/lib/models/policy-store";
import { checkModels } from "@/lib/models/check";
import { loadManifest, type Manifest } from "@/lib/models/manifest";
import { policyFromConfig, type Policy, type PolicyConfig } from "@/lib/models/policy";
import { decideServed } from "@/lib/models/served";
import type { ModelRole } from "@/lib/models/manifest";

/** A model the deployment reaches on another server (LLM_BASE_URL, EMBEDDINGS_BASE_URL), when its name is configured. */
export interface ServedModelRef {
  role: ModelRole;
  name: string;
  where: string;
}

/**
 * Load the manifest and the seed policy; throws with a message to print as is
 * (ManifestError names file, line, column and field).
 */
export function loadModelConfig(manifestFile: string, config: PolicyConfig): { manifest: Manifest; seed: Policy } {
  let manifest: Manifest;
  try {
    manifest = loadManifest(manifestFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`The model manifest ${manifestFile} does not exist. Set MODELS_DIR to the folder holding manifest.json.`);
    }
    throw error;
  }
  return { manifest, seed: policyFromConfig(config) };
}

export interface ModelStartReport {
  /** Lines for the console. */
  lines: string[];
  /** Enabled LoRA adapters the policy refuses, which the local model server must not load. */
  refusedAdapters: string[];
}

/** Verify and decide every enabled model under the stored policy (seeded on first start). */
export async function modelStartReport(
  db: Database,
  input: { manifest: Manifest; manifestFile: string; seed: Policy; served?: ServedModelRef[] },
): Promise<ModelStartReport> {
  const stored = await getCurrentModelPolicy(db, { seed: input.seed });
  const result = await checkModels({
    manifest: input.manifest,
    manifestDir: path.dirname(input.manifestFile),
    policy: stored.policy,
    approvals: await listModelApprovals(db),
  });
  const p = stored.policy;
  const lines = [`Model policy version ${stored.version}: use ${p.use}, locality ${p.locality}, ${p.allowedLicenses.length} license(s) allowed.`];
  for (const role of result.roles) {
    if (role.allowed) lines.push(`  ${role.role}: allowed (${role.modelIds.join(", ")})`);
    else for (const d of role.refusals) lines.push(`  ${role.role}: REFUSED. ${d.message ?? d.modelId}`);
  }
  if (result.roles.length === 0) lines.push("  No model is enabled in the manifest.");
  for (const s of input.served ?? []) {
    const served = decideServed(result.manifest, result.decisions, s);
    if (served.allowed) lines.push(`  ${s.role} in use: allowed (${served.model?.id}, served as "${s.name}" by ${s.where})`);
    else lines.push(`  ${s.role} in use: REFUSED. ${served.message}`);
  }
  const refusedAdapters = result.decisions.filter((d) => d.role === "adapter" && d.enabled && !d.allowed).map((d) => d.modelId);
  if (refusedAdapters.length) lines.push(`  LoRA adapter(s) ${refusedAdapters.join(", ")} refused: the local model server will not load them.`);
  return { lines, refusedAdapters };
}
