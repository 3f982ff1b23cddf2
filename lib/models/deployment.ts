/**
 * The models this deployment actually uses, from its settings, checked at the gate.
 * Local models (the offline embedder, a transformers.js folder, the local GGUF server)
 * are checked by manifest id; a model on another server (EMBEDDINGS_BASE_URL,
 * LLM_BASE_URL) by the name that server serves it under. Either way nothing runs
 * that the manifest and the policy do not allow. No "server-only": scripts use it too.
 */
import type { Env } from "@/lib/env";
import type { ModelEntry } from "./manifest-schema";
import type { ModelGate } from "./model-gate";

export type EmbeddingSettings = Pick<Env, "EMBEDDER" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL">;
export type GenerationSettings = Pick<Env, "LLM_BASE_URL">;
type Gate = Pick<ModelGate, "assertModelAllowed" | "assertRoleAllowed" | "assertServedModelAllowed" | "status">;

/** Throws AppError "unavailable:models" when the configured embedding model may not run. */
export function assertEmbedderAllowed(gate: Gate, settings: EmbeddingSettings): void {
  if (settings.EMBEDDINGS_BASE_URL) {
    // The same name the remote embedder requests (lib/embeddings/factory).
    const served = settings.EMBEDDINGS_MODEL ?? settings.EMBEDDER;
    gate.assertServedModelAllowed("embedding", served, `the embeddings server at ${settings.EMBEDDINGS_BASE_URL}`);
  } else {
    gate.assertModelAllowed(settings.EMBEDDER);
  }
}

/** The refusal message for the configured embedding model, or undefined when it may run (ingest workers poll this). */
export function embedderRefusal(gate: Gate, settings: EmbeddingSettings): string | undefined {
  try {
    assertEmbedderAllowed(gate, settings);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Throws when the generation model may not run; returns its manifest entry. Locally that is
 * the manifest's enabled GGUF model(s) and the LoRA adapters the local server loads on them
 * (an adapter inherits its base's restrictions and may add its own); the local server serves
 * its model under the entry's id. With LLM_BASE_URL it is `servedName`, the model the server
 * answers with.
 */
export function assertGeneratorAllowed(gate: Gate, settings: GenerationSettings, servedName: string): ModelEntry | undefined {
  if (!settings.LLM_BASE_URL) {
    const allowed = gate.assertRoleAllowed("generation");
    const bases = new Set(allowed.map((m) => m.id));
    for (const m of gate.status().manifest?.models ?? []) {
      if (m.role === "adapter" && m.enabled && m.baseModel !== undefined && bases.has(m.baseModel)) gate.assertModelAllowed(m.id);
    }
    return allowed.find((m) => m.id === servedName) ?? allowed[0];
  }
  return gate.assertServedModelAllowed("generation", servedName, `the LLM server at ${settings.LLM_BASE_URL}`);
}
