import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { pullableEntry } from "@/lib/models/catalogue";
import { approveHashesBodySchema, approveRecordedHashes } from "@/lib/models/recorded-hashes";
import { getModelGate } from "@/lib/models/service";
import { parseJson, route } from "@/lib/http/route";

/** Approve the hashes a pull recorded for files the manifest has none for (audited); the model policy then decides. */
export const POST = route(async (request, { log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, approveHashesBodySchema);
  const gate = await getModelGate();
  pullableEntry(gate.status().manifest, body.modelId);
  const entry = await approveRecordedHashes(await getDb(), gate, actor, getEnv().dataDir, body);
  log.info({ event: "model.hashes.approve", modelId: entry.id }, "recorded model hashes approved");
  return Response.json({ id: entry.id });
});
