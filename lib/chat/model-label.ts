import "server-only";
/** Which model is answering, for the chat page and /api/health: nobody should mistake a test model for a real one. */
import { getEnv } from "@/lib/env";
import { checkLlmHealth } from "@/lib/llm";
import { withActiveGeneration } from "@/lib/llm/active";
import { llmServerRef } from "@/lib/llm/server-ref";

export async function answeringModelLabel(): Promise<string> {
  const env = withActiveGeneration(getEnv());
  const ref = llmServerRef(env);
  const health = await checkLlmHealth({ ...ref, timeoutMs: 2000 });
  const where = env.LLM_BASE_URL ? ref.baseUrl : "local model server";
  if (!health.ok) return `unavailable (${health.message ?? "no answer"})`;
  const test = /stories260k/i.test(health.model ?? "") ? " — a tiny test model, not for real answers" : "";
  return `${health.model} via ${where}${test}`;
}
