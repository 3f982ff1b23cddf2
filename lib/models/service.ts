import "server-only";
/**
 * The web server's model gate, created once per process on first use (a
 * development reload must not start a second watcher). Chat and ingestion call `(await getModelGate()).assertRoleAllowed(role)`
 * before using a model.
 */
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { HealthCheck } from "@/lib/health";
import { logger } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";
import { withActiveEmbedding } from "@/lib/embeddings/active";
import { embedderRefusal } from "./deployment";
import { modelsHealth } from "./health";
import type { ModelGate } from "./model-gate";
import { openModelGate } from "./wiring";

/** The process's model gate (loads the manifest, verifies files and starts the re-check on first use). */
export const getModelGate: () => Promise<ModelGate> = processSingleton("model-gate", async () => {
  const log = logger().child({ component: "models" });
  return openModelGate(await getDb(), getEnv(), { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) });
});

/** The "models" component of /api/health: down when any role with an enabled model is refused. */
export const modelsHealthCheck: HealthCheck = {
  name: "models",
  async check() {
    const gate = await getModelGate();
    // The LLM's served model is checked by the "llm" component, which asks its server which model answers.
    return { ...modelsHealth(gate.status(), [embedderRefusal(gate, withActiveEmbedding(getEnv()))]) };
  },
};
