import "server-only";
/** The web server's chat dependencies, resolved per turn (the LLM may come and go). */
import { listReadableKnowledgeBases } from "@/db/queries/knowledge-bases";
import type { SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEngines } from "@/lib/engines/server";
import { getEnv } from "@/lib/env";
import { connectChatModel, type ChatModel } from "@/lib/llm";
import type { TurnDeps } from "@/lib/rag/turn";
import { assertEmbedderAllowed, assertGeneratorAllowed } from "@/lib/models/deployment";
import { getModelGate } from "@/lib/models/service";
import { getTurnAssessor } from "./assessor";
import { llmClientConfig } from "@/lib/llm/server-ref";

export async function chatDeps(): Promise<TurnDeps> {
  const env = getEnv();
  const [db, engines, gate] = await Promise.all([getDb(), getEngines(), getModelGate()]);
  // No model runs unless the model policy allows it: a refused embedder stops the turn (503 with the reason).
  assertEmbedderAllowed(gate, env);
  let llm: TurnDeps["llm"];
  let judgeModel: ChatModel | undefined;
  try {
    // Checked once the server has said which model answers, before any prompt is sent; a refused one is never called.
    const model = await connectChatModel(llmClientConfig(env));
    const entry = assertGeneratorAllowed(gate, env, model.id);
    llm = { model, maxTokens: env.LLM_MAX_TOKENS };
    // Only a model its manifest entry calls "instruct" can follow the judge's instructions.
    if (entry?.kind === "instruct") judgeModel = model;
  } catch (error) {
    // LlmError and AppError messages name the cause and the fix; either way the message is what the agent sees.
    llm = { unavailable: (error as Error).message };
  }
  return { db, embedder: engines.embedder, store: engines.store, llm, assessor: await getTurnAssessor(db, { judgeModel }) };
}

export async function readableKbs(user: SessionUser) {
  const kbs = await listReadableKnowledgeBases(await getDb(), user);
  return kbs.map((kb) => ({ id: kb.id, topK: kb.topK, minScore: kb.minScore }));
}
