import "server-only";
/** The web server's chat dependencies, resolved per turn (the LLM may come and go). */
import { listReadableKnowledgeBases } from "@/db/queries/knowledge-bases";
import type { SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEngines } from "@/lib/engines/server";
import { getEnv } from "@/lib/env";
import { connectChatModel, isLlmError } from "@/lib/llm";
import type { TurnDeps } from "@/lib/rag/turn";
import { getTurnAssessor } from "./assessor";
import { llmClientConfig } from "./llm";

export async function chatDeps(): Promise<TurnDeps> {
  const env = getEnv();
  const [db, engines] = await Promise.all([getDb(), getEngines()]);
  let llm: TurnDeps["llm"];
  try {
    llm = { model: await connectChatModel(llmClientConfig(env)), maxTokens: env.LLM_MAX_TOKENS };
  } catch (error) {
    llm = { unavailable: isLlmError(error) ? error.message : (error as Error).message };
  }
  return { db, embedder: engines.embedder, store: engines.store, llm, assessor: await getTurnAssessor(db, engines.embedder) };
}

export async function readableKbs(user: SessionUser) {
  const kbs = await listReadableKnowledgeBases(await getDb(), user);
  return kbs.map((kb) => ({ id: kb.id, topK: kb.topK, minScore: kb.minScore }));
}
