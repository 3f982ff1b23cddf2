/**
 * For integration tests of Admin › Models: an admin to act as, and the model gate wired as the
 * web server wires it (lib/models/wiring.ts) on the test database, with the default policy and
 * no periodic re-check of the files.
 */
import type { Database } from "@/db/client";
import { createUser, SYSTEM_ACTOR } from "@/db/queries/users";
import type { ModelGate } from "@/lib/models/model-gate";
import { openModelGate } from "@/lib/models/wiring";

export async function createTestAdmin(db: Database): Promise<{ id: string; email: string }> {
  const user = await createUser(db, { email: "boss@x.test", name: "Boss", role: "admin", passwordHash: "x", actor: SYSTEM_ACTOR });
  return { id: user.id, email: user.email };
}

/** A gate over `modelsDir/manifest.json` and the data folder's additions. */
export function openTestGate(db: Database, dirs: { modelsDir: string; dataDir: string }): Promise<ModelGate> {
  return openModelGate(db, { ...dirs, MODEL_RECHECK_INTERVAL_S: 0, POLICY_USE: "commercial", POLICY_ALLOWED_LICENSES: undefined, POLICY_LOCALITY: "on-premises" });
}
