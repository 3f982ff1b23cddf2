import "server-only";
/**
 * The web server's pulls of catalogue models (Admin › Models), created once per process so a
 * development reload keeps the pulls running and their progress. Audit events name the admin
 * who started the pull; once files are installed the gate re-reads the manifest and files.
 */
import { recordAuditEvent } from "@/db/queries/audit";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { processSingleton } from "@/lib/process-singleton";
import { createPullJobs, type PullJobs } from "./pull-jobs";
import { recordedHashesFile } from "./recorded-hashes";
import { getModelGate } from "./service";

export const getPullJobs: () => Promise<PullJobs> = processSingleton("model-pulls", async () => {
  const env = getEnv();
  const [db, gate] = await Promise.all([getDb(), getModelGate()]);
  const log = logger().child({ component: "models" });
  return createPullJobs({
    modelsDir: env.modelsDir,
    mirror: env.MODELS_MIRROR,
    recordedFile: recordedHashesFile(env.dataDir),
    audit: async (actor, event) => {
      await recordAuditEvent(db, { actorId: actor.id, actorEmail: actor.email, ...event });
    },
    installed: async () => {
      await gate.reloadManifest();
    },
    log: { error: (m) => log.error(m) },
  });
});
