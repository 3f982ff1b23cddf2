/**
 * Enabling a model from Admin › Models (a catalogue model once downloaded, verified and
 * approved), so using it needs no edit to the committed manifest. Only a model that would
 * then be allowed can be enabled: an enabled model that is refused takes its role down.
 */
import type { Database } from "@/db/client";
import { recordAuditEvent } from "@/db/queries/audit";
import type { Actor } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { enabledModelsFile, saveEnabledModel } from "./enabled";
import type { ModelGate } from "./model-gate";

export async function enableModelAsAdmin(db: Database, gate: ModelGate, actor: Actor, dataDir: string, modelId: string): Promise<void> {
  const decision = gate.status().decisions.find((d) => d.modelId === modelId);
  if (!decision) throw new AppError("not_found:models", "There is no such model in the manifest.");
  if (decision.enabled) throw new AppError("bad_request:models", `${modelId} is already enabled.`);
  const blocking = decision.problems.find((p) => p.clause !== "disabled");
  if (blocking) throw new AppError("conflict:models", `${modelId} cannot be enabled yet. ${blocking.message}`);
  // Files of a disabled model are not verified until it is enabled: enable, verify, and undo when refused.
  const file = enabledModelsFile(dataDir);
  saveEnabledModel(file, modelId);
  const after = (await gate.reloadManifest()).decisions.find((d) => d.modelId === modelId);
  if (!after?.allowed) {
    saveEnabledModel(file, modelId, false);
    await gate.reloadManifest();
    throw new AppError("conflict:models", `${modelId} cannot be enabled yet. ${after?.message ?? ""}`.trim());
  }
  await recordAuditEvent(db, { actorId: actor.id, actorEmail: actor.email, action: "model.enable", target: modelId, details: {} });
}
