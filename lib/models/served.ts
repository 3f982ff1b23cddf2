/**
 * Which manifest entry a model on another OpenAI-compatible server is. The app
 * knows such a model only by the name the server serves it under (LLM_MODEL,
 * EMBEDDINGS_MODEL, or the first id at GET /v1/models), so that name is what
 * ties it to its license, approval and locality in the manifest.
 */
import type { Manifest, ModelEntry, ModelRole } from "./manifest-schema";
import type { Decision } from "./policy";

/** Ollama lists "llama3:latest" for "llama3"; either spelling names the same model. */
export function sameServedName(a: string, b: string): boolean {
  const bare = (s: string) => s.replace(/:latest$/, "");
  return bare(a) === bare(b);
}

/** Entries of format "remote" and `role` that say they are served as `name`, enabled ones first. */
function findServedEntries(manifest: Manifest, role: ModelRole, name: string): ModelEntry[] {
  return manifest.models
    .filter((m) => m.format === "remote" && m.role === role && m.served !== undefined && sameServedName(m.served.name, name))
    .sort((a, b) => Number(b.enabled) - Number(a.enabled));
}

/** True for models this process runs from files (ONNX, GGUF), as opposed to ones another server runs. */
export function isLocalModel(model: Pick<ModelEntry, "format">): boolean {
  return model.format !== "remote";
}

/** A served model's entry (if any) and whether it may run, with the refusal naming model, clause and fix. */
export interface ServedDecision {
  model?: ModelEntry;
  allowed: boolean;
  message?: string;
}

/** Decide the model another server (`where`) serves as `name`, from the decisions made for the manifest. */
export function decideServed(
  manifest: Manifest,
  decisions: readonly Decision[],
  served: { role: ModelRole; name: string; where: string },
): ServedDecision {
  const [model] = findServedEntries(manifest, served.role, served.name);
  if (!model) return { allowed: false, message: unlistedServedMessage(served.role, served.name, served.where) };
  const decision = decisions.find((d) => d.modelId === model.id);
  if (decision?.allowed) return { model, allowed: true };
  return { model, allowed: false, message: decision?.message ?? `Model "${model.id}" is refused.` };
}

/** Why a served model with no manifest entry is refused, and the fix. */
function unlistedServedMessage(role: ModelRole, name: string, where: string): string {
  return `The ${role} model "${name}" served by ${where} is refused: no model of format "remote" in the model manifest is served under that name, so its license is not on record. Fix: add an entry with "format": "remote", "role": "${role}" and "served": { "name": "${name}", "host": "self-hosted" or "third-party" } with its license to models/manifest.json, and approve it in Admin › Models.`;
}
