import "server-only";
/** The web server's chat dependencies, resolved per turn (the LLM may come and go). */
import { listReadableKnowledgeBases } from "@/db/queries/knowledge-bases";
import type { SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEngines } from "@/lib/engines/server";
import { getEnv, type Env } from "@/lib/env";
import { connectChatModel, type ChatModel } from "@/lib/llm";
import { GenerationAdmission } from "@/lib/llm/admission";
import type { TurnDeps } from "@/lib/rag/turn";
import { assertEmbedderAllowed, assertGeneratorAllowed } from "@/lib/models/deployment";
import type { ModelGate } from "@/lib/models/model-gate";
import type { ModelEntry } from "@/lib/models/manifest";
import { getRetention } from "@/db/queries/settings";
import type { TurnModel } from "@/db/queries/turn-records";
import type { TurnProvenance } from "@/lib/rag/turn-record";
import { getModelGate } from "@/lib/models/service";
import { getTurnAssessor } from "./assessor";
import { withActiveGeneration } from "@/lib/llm/active";
import { llmClientConfig } from "@/lib/llm/server-ref";
import { withActiveEmbedding } from "@/lib/embeddings/active";

export async function chatDeps(): Promise<TurnDeps> {
  const env = withActiveEmbedding(withActiveGeneration(getEnv()));
  const [db, engines, gate] = await Promise.all([getDb(), getEngines(), getModelGate()]);
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
  const [assessor, retention] = await Promise.all([getTurnAssessor(db, engines.embedder, { judgeModel }), getRetention(db)]);
  const provenance: TurnProvenance = {
    modelPolicyVersion: gate.status().policyVersion,
    reviewPolicyVersion: assessor.policyVersion ?? null,
    keepTexts: retention.keepTexts,
    ...("model" in llm ? { model: writerRecord(gate, llm.model.id, writerEntry) } : {}),
  };
  return { db, embedder: engines.embedder, store: engines.store, llm, assessor, admission: admissionFor(env), provenance };
}

/** The writing model as a turn record names it: served name, manifest entry, its files' hashes, the adapters on it. */
function writerRecord(gate: ModelGate, served: string, entry: ModelEntry | undefined): TurnModel {
  const adapters = (gate.status().manifest?.models ?? []).filter((m) => m.role === "adapter" && m.enabled && entry && m.baseModel === entry.id).map((m) => m.id);
  return { id: served, manifestEntry: entry?.id ?? null, files: (entry?.files ?? []).map((f) => ({ path: f.path, sha256: f.sha256 })), adapters };
}

let admission: { key: string; line: GenerationAdmission } | undefined;

/** This web server's line for the writing model, kept while its settings stay the same. */
function admissionFor(env: Env): GenerationAdmission {
  const slots = env.GENERATION_SLOTS ?? (env.LLM_BASE_URL ? 16 : env.LLM_PARALLEL);
  const key = `${slots}:${env.GENERATION_MAX_WAIT_S}`;
  if (admission?.key !== key) admission = { key, line: new GenerationAdmission({ slots, maxWaitMs: env.GENERATION_MAX_WAIT_S * 1000 }) };
  return admission.line;
}

const NO_WRITER = "No writing model is installed.";

/** Whether the deployment names an instruct model to write answers (so its absence is worth a notice). */
function instructConfigured(gate: ModelGate, env: Env): boolean {
  const models = gate.status().manifest?.models ?? [];
  if (env.LLM_BASE_URL) return models.some((m) => m.role === "generation" && m.format === "remote" && m.enabled && m.kind === "instruct");
  return models.some((m) => m.role === "generation" && m.format === "gguf" && m.enabled && m.kind === "instruct");
}

export async function readableKbs(user: SessionUser) {
  const kbs = await listReadableKnowledgeBases(await getDb(), user);
  return kbs.map((kb) => ({ id: kb.id, topK: kb.topK, minScore: kb.minScore }));
}
