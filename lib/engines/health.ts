import "server-only";
/** /api/health entries for the embedder, the vector store and the LLM server. */
import { withActiveGeneration } from "@/lib/llm/active";
import { llmServerRef } from "@/lib/llm/server-ref";
import { getEmbedderStatus } from "@/lib/embeddings/factory";
import { getEnv } from "@/lib/env";
import type { HealthCheck } from "@/lib/health";
import { assertGeneratorAllowed } from "@/lib/models/deployment";
import { getModelGate } from "@/lib/models/service";
import { checkLlmHealth } from "@/lib/llm";
import { getEngines } from "./server";

export const engineHealthChecks: HealthCheck[] = [
  {
    name: "embedder",
    async check() {
      const status = getEmbedderStatus(await getEngines().then((e) => e.embedder, (error: unknown) => error), getEnv().EMBEDDER);
      return { ...status };
    },
  },
  {
    name: "vectorStore",
    async check() {
      const { store } = await getEngines();
      const stats = await store.stats();
      return { ok: true, table: stats.table, rows: stats.rows, indexes: stats.indexes.map((i) => `${i.name} (${i.type}, ${i.unindexedRows} unindexed)`) };
    },
  },
  {
    name: "llm",
    async check() {
      const env = withActiveGeneration(getEnv());
      const ref = llmServerRef(env);
      const health = await checkLlmHealth({ ...ref, timeoutMs: 3000 });
      const result = { ...health, server: ref.baseUrl, local: !env.LLM_BASE_URL };
      if (!health.ok || !health.model || !env.LLM_BASE_URL) return result;
      try {
        // Another server's model must be on record and allowed, like a local one.
        assertGeneratorAllowed(await getModelGate(), env, health.model);
        return result;
      } catch (error) {
        return { ...result, ok: false, message: (error as Error).message };
      }
    },
  },
];
