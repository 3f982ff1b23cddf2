/**
 * A chat turn's dependencies from what a process has open: the answer mode and writing
 * model (the model policy decides which may run), the review policy's checks and what the
 * turn's record names. The web server calls it per turn; `npm run eval` once per run.
 */
import type { Database } from "@/db/client";
import { getRetention } from "@/db/queries/settings";
import type { TurnModel } from "@/db/queries/turn-records";
import type { Engines } from "@/lib/engines/open";
import type { Env } from "@/lib/env";
import { connectChatModel, type ChatModel } from "@/lib/llm";
import type { GenerationAdmission } from "@/lib/llm/admission";
import { llmClientConfig } from "@/lib/llm/server-ref";
import type { ModelEntry } from "@/lib/models/manifest";
import { assertEmbedderAllowed, assertGeneratorAllowed } from "@/lib/models/deployment";
import type { ModelGate } from "@/lib/models/model-gate";
import type { TurnAssessor, TurnDeps } from "@/lib/rag/turn";
import type { TurnProvenance } from "@/lib/rag/turn-record";

export interface TurnDepsContext {
  /** Settings with the active embedding and generation choices applied. */
  env: Env;
  db: Database;
  engines: Engines;
  gate: ModelGate;
  assessor(judgeModel?: ChatModel): Promise<TurnAssessor>;
  admission?: GenerationAdmission;
}

export async function turnDepsFor({ env, db, engines, gate, assessor: assessorFor, admission }: TurnDepsContext): Promise<TurnDeps> {
  // No model runs unless the model policy allows it: a refused embedder stops the turn (503 with the reason).
  assertEmbedderAllowed(gate, env);
  let llm: TurnDeps["llm"];
  let judgeModel: ChatModel | undefined;
  let writerEntry: ModelEntry | undefined;
  if (env.ANSWER_MODE === "quote") llm = { quote: "Answers are set to quotes (ANSWER_MODE=quote)." };
  else {
    try {
      // Checked once the server has said which model answers, before any prompt is sent; a refused one is never called.
      const model = await connectChatModel(llmClientConfig(env));
      const entry = assertGeneratorAllowed(gate, env, model.id);
      writerEntry = entry;
      // In auto, only a model its manifest entry calls "instruct" writes answers (a test or base model would write stories).
      if (env.ANSWER_MODE === "auto" && entry?.kind !== "instruct") llm = { quote: NO_WRITER };
      else llm = { model, maxTokens: env.LLM_MAX_TOKENS };
      // Only an instruct model can follow the judge's instructions.
      if (entry?.kind === "instruct") judgeModel = model;
    } catch (error) {
      // In auto, a deployment with no instruct model configured quotes quietly; otherwise the agent reads why.
      llm = env.ANSWER_MODE === "auto" && !instructConfigured(gate, env) ? { quote: NO_WRITER } : { unavailable: (error as Error).message };
    }
  }
  const [assessor, retention] = await Promise.all([assessorFor(judgeModel), getRetention(db)]);
  const provenance: TurnProvenance = {
    modelPolicyVersion: gate.status().policyVersion,
    reviewPolicyVersion: assessor.policyVersion ?? null,
    keepTexts: retention.keepTexts,
    ...("model" in llm ? { model: writerRecord(gate, llm.model.id, writerEntry) } : {}),
  };
  return { db, embedder: engines.embedder, store: engines.store, llm, assessor, admission, provenance };
}

/** The writing model as a turn record names it: served name, manifest entry, its files' hashes, the adapters on it. */
function writerRecord(gate: ModelGate, served: string, entry: ModelEntry | undefined): TurnModel {
  const adapters = (gate.status().manifest?.models ?? []).filter((m) => m.role === "adapter" && m.enabled && entry && m.baseModel === entry.id).map((m) => m.id);
  return { id: served, manifestEntry: entry?.id ?? null, files: (entry?.files ?? []).map((f) => ({ path: f.path, sha256: f.sha256 })), adapters };
}

const NO_WRITER = "No writing model is installed.";

/** Whether the deployment names an instruct model to write answers (so its absence is worth a notice). */
function instructConfigured(gate: ModelGate, env: Env): boolean {
  const models = gate.status().manifest?.models ?? [];
  if (env.LLM_BASE_URL) return models.some((m) => m.role === "generation" && m.format === "remote" && m.enabled && m.kind === "instruct");
  return models.some((m) => m.role === "generation" && m.format === "gguf" && m.enabled && m.kind === "instruct");
}
