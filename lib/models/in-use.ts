import "server-only";
/**
 * The models this deployment actually uses, for Admin › Models: the manifest's roles
 * say what is enabled, but with LLM_BASE_URL or EMBEDDINGS_BASE_URL the model that
 * answers is whatever another server serves, and that is what the policy must allow.
 */
import { llmServerRef } from "@/lib/llm/server-ref";
import type { Env } from "@/lib/env";
import { checkLlmHealth } from "@/lib/llm";
import { isLocalModel } from "@/lib/models/served";
import { assertGeneratorAllowed, embedderRefusal } from "./deployment";
import type { ModelEntry } from "./manifest-schema";
import type { ModelGate } from "./model-gate";

export interface ModelInUse {
  role: "embedding" | "generation";
  /** What runs, in words: a manifest id, or a served name and its server. */
  label: string;
  allowed: boolean;
  /** The refusal (model, clause, fix), or why the model is not known. */
  message?: string;
  /** For generation: whether answers are written by the model or quoted, and why, in one sentence. */
  answers?: string;
}

type Settings = Pick<Env, "EMBEDDER" | "EMBEDDINGS_BASE_URL" | "EMBEDDINGS_MODEL" | "LLM_BASE_URL" | "LLM_API_KEY" | "LLM_MODEL" | "LLM_PORT" | "ANSWER_MODE">;

export async function modelsInUse(gate: ModelGate, env: Settings): Promise<ModelInUse[]> {
  const embeddingRefusal = embedderRefusal(gate, env);
  const embedding: ModelInUse = {
    role: "embedding",
    label: env.EMBEDDINGS_BASE_URL
      ? `"${env.EMBEDDINGS_MODEL ?? env.EMBEDDER}" served by the embeddings server at ${env.EMBEDDINGS_BASE_URL}`
      : `${env.EMBEDDER}, run in this process`,
    allowed: embeddingRefusal === undefined,
    message: embeddingRefusal,
  };
  return [embedding, await generationInUse(gate, env)];
}

async function generationInUse(gate: ModelGate, env: Settings): Promise<ModelInUse> {
  const local = gate.status().manifest?.models.filter((m) => m.role === "generation" && m.enabled && isLocalModel(m)) ?? [];
  // LLM_MODEL without LLM_BASE_URL: the local model the admin chose (the local server loads it).
  let served = env.LLM_MODEL ?? "";
  let label = `${served || local[0]?.id || "no enabled model"}, run by the local model server`;
  if (env.LLM_BASE_URL) {
    // The model that answers is the one the server names (LLM_MODEL, else the first it lists).
    const health = env.LLM_MODEL ? undefined : await checkLlmHealth({ ...llmServerRef(env), timeoutMs: 2000 });
    served = env.LLM_MODEL ?? health?.model ?? "";
    label = `"${served || "?"}" served by the LLM server at ${env.LLM_BASE_URL}`;
    if (!served) return { role: "generation", label, allowed: false, message: `Not known which model answers: ${health?.message ?? "the server named none"}.`, answers: answersBy(env.ANSWER_MODE, undefined) };
  }
  try {
    const entry = assertGeneratorAllowed(gate, env, served);
    return { role: "generation", label, allowed: true, answers: answersBy(env.ANSWER_MODE, entry ?? { id: served }) };
  } catch (error) {
    return { role: "generation", label, allowed: false, message: (error as Error).message, answers: answersBy(env.ANSWER_MODE, undefined) };
  }
}

/** How the chat answers under ANSWER_MODE with `allowed` (undefined: no allowed generation model), as the chat decides it. */
export function answersBy(mode: Env["ANSWER_MODE"], allowed: Pick<ModelEntry, "id" | "kind"> | undefined): string {
  const quoted = "Answers are quoted from the knowledge base";
  if (mode === "quote") return `${quoted}: ANSWER_MODE is set to quote.`;
  if (!allowed) return `${quoted}: no generation model is allowed to run.`;
  if (mode === "generate" || allowed.kind === "instruct") return `Answers are written by ${allowed.id}.`;
  return `${quoted}: ${allowed.id} is marked "${allowed.kind ?? "base"}", and only a model marked "instruct" writes answers (ANSWER_MODE=auto).`;
}
