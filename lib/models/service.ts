import "server-only";
/**
 * The web server's model gate, created once per process on first use (kept on
 * globalThis like the database, so development reloads do not start a second
 * watcher). Chat and ingestion call `(await getModelGate()).assertRoleAllowed(role)`
 * before using a model.
 */
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { HealthCheck } from "@/lib/health";
import { logger } from "@/lib/log";
import { embedderRefusal } from "./deployment";
import { modelsHealth } from "./health";
import type { ModelGate } from "./model-gate";
import { openModelGate } from "./wiring";

const globalForGate = globalThis as unknown as { vouchModelGate?: Promise<ModelGate> };

async function open(): Promise<ModelGate> {
  const log = logger().child({ component: "models" });
  return openModelGate(await getDb(), getEnv(), { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) });
}

/** The process's model gate (loads the manifest, verifies files and starts the re-check on first use). */
export function getModelGate(): Promise<ModelGate> {
  globalForGate.vouchModelGate ??= open().catch((error: unknown) => {
    globalForGate.vouchModelGate = undefined; // let the next caller try again (e.g. the database was not up yet)
    throw error;
  });
  return globalForGate.vouchModelGate;
}

/** The "models" component of /api/health: down when any role with an enabled model is refused. */
export const modelsHealthCheck: HealthCheck = {
  name: "models",
  async check() {
    const gate = await getModelGate();
    // The LLM's served model is checked by the "llm" component, which asks its server which model answers.
    return { ...modelsHealth(gate.status(), [embedderRefusal(gate, getEnv())]) };
  },
};
