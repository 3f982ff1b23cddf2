import "server-only";
/** The web server's chat dependencies, resolved per turn (the LLM may come and go). */
import { listReadableKnowledgeBases } from "@/db/queries/knowledge-bases";
import type { SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEngines } from "@/lib/engines/server";
import { getEnv, type Env } from "@/lib/env";
import { GenerationAdmission } from "@/lib/llm/admission";
import type { TurnDeps } from "@/lib/rag/turn";
import { getModelGate } from "@/lib/models/service";
import { getTurnAssessor } from "./assessor";
import { withActiveGeneration } from "@/lib/llm/active";
import { withActiveEmbedding } from "@/lib/embeddings/active";
import { turnDepsFor } from "./turn-deps";

export async function chatDeps(): Promise<TurnDeps> {
  const env = withActiveEmbedding(withActiveGeneration(getEnv()));
  const [db, engines, gate] = await Promise.all([getDb(), getEngines(), getModelGate()]);
  return turnDepsFor({ env, db, engines, gate, assessor: (judgeModel) => getTurnAssessor(db, engines.embedder, { judgeModel }), admission: admissionFor(env) });
}

let admission: { key: string; line: GenerationAdmission } | undefined;

/** This web server's line for the writing model, kept while its settings stay the same. */
function admissionFor(env: Env): GenerationAdmission {
  const slots = env.GENERATION_SLOTS ?? (env.LLM_BASE_URL ? 16 : env.LLM_PARALLEL);
  const key = `${slots}:${env.GENERATION_MAX_WAIT_S}`;
  if (admission?.key !== key) admission = { key, line: new GenerationAdmission({ slots, maxWaitMs: env.GENERATION_MAX_WAIT_S * 1000 }) };
  return admission.line;
}

export async function readableKbs(user: SessionUser) {
  const kbs = await listReadableKnowledgeBases(await getDb(), user);
  return kbs.map((kb) => ({ id: kb.id, topK: kb.topK, minScore: kb.minScore }));
}
