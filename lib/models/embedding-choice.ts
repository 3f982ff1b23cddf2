/**
 * The embedding models an admin can switch to in Admin › Models: the manifest's enabled
 * embedding entries, local (files present and verified) or on a connected server, each
 * with the model policy's verdict. No "server-only": tests use it directly.
 */
import { withActiveEmbedding, type ActiveEmbedding, type EmbeddingEnv } from "@/lib/embeddings/active";
import { configuredEmbedderId, embedderConfigFromEnv, type EmbedderSettings } from "@/lib/embeddings/factory";
import { embedderRefusal } from "./deployment";
import type { ModelEntry } from "./manifest-schema";
import type { ModelGate } from "./model-gate";

type Gate = Pick<ModelGate, "assertModelAllowed" | "assertRoleAllowed" | "assertServedModelAllowed" | "status">;
export type ChoiceEnv = EmbeddingEnv & EmbedderSettings;

export interface EmbeddingCandidate {
  id: string;
  name: string;
  /** Where it runs, in words. */
  runs: string;
  /** The model embedding today. */
  active: boolean;
  /** Why the model policy (or a missing file) refuses it; undefined when it may run. */
  refusal?: string;
}

/** The data-folder choice that makes `entry` embed. */
export function choiceFor(entry: ModelEntry): ActiveEmbedding {
  if (entry.format === "remote") return { modelId: entry.id, embedder: entry.served?.name ?? entry.id, baseUrl: entry.source };
  return { modelId: entry.id, embedder: entry.id };
}

/** The settings the processes run with once `entry` is chosen. */
export function settingsFor<T extends EmbeddingEnv>(env: T, entry: ModelEntry): T {
  return withActiveEmbedding(env, choiceFor(entry));
}

export function embeddingCandidates(gate: Gate, env: ChoiceEnv): EmbeddingCandidate[] {
  const current = configuredEmbedderId(embedderConfigFromEnv(withActiveEmbedding(env)));
  const entries = gate.status().manifest?.models.filter((m) => m.role === "embedding" && m.enabled) ?? [];
  return entries.map((entry) => {
    const settings = settingsFor(env, entry);
    return {
      id: entry.id,
      name: entry.card.name,
      runs: entry.format === "remote" ? `on the server at ${entry.source}` : "in this process",
      active: configuredEmbedderId(embedderConfigFromEnv(settings)) === current,
      refusal: embedderRefusal(gate, settings),
    };
  });
}
