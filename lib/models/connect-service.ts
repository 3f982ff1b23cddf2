/**
 * Connecting a model server from Admin › Models: list what a server serves, add one of
 * its models as a governed manifest entry (in the data folder), and make an allowed one
 * write the answers. Every change is audited; the gate re-reads the manifest at once.
 */
import { ZodError } from "zod";
import type { Database } from "@/db/client";
import { recordAuditEvent } from "@/db/queries/audit";
import type { Actor } from "@/db/queries/users";
import { AppError, describeZodError } from "@/lib/errors";
import { readServerKey, saveActiveGeneration, saveServerKey } from "@/lib/llm/active";
import { FORM_ADVICE } from "@/lib/llm/failures";
import { listModels } from "@/lib/llm/health";
import { addedManifestFile, saveAddedModel } from "./added";
import { remoteModelEntry, type AddRemoteModel } from "./connect";
import type { ModelEntry } from "./manifest-schema";
import type { ModelGate } from "./model-gate";

/** The models a server lists at GET /v1/models; a server that does not answer is a 400 that says why. */
export async function probeServer(input: { baseUrl: string; apiKey?: string }): Promise<string[]> {
  try {
    // The admin typed the address and key into Connect: the advice names those, not the settings.
    return await listModels({ baseUrl: input.baseUrl, apiKey: input.apiKey || undefined, timeoutMs: 5000, advice: FORM_ADVICE });
  } catch (error) {
    throw new AppError("bad_request:models", `Could not list the models of ${input.baseUrl}: ${(error as Error).message}`);
  }
}

export async function addRemoteModel(db: Database, gate: ModelGate, actor: Actor, dataDir: string, input: AddRemoteModel): Promise<ModelEntry> {
  const served = await probeServer(input);
  if (!served.includes(input.model)) {
    throw new AppError("bad_request:models", `The server at ${input.baseUrl} does not serve "${input.model}"; it serves ${served.map((m) => `"${m}"`).join(", ") || "nothing"}.`);
  }
  let entry: ModelEntry;
  try {
    entry = remoteModelEntry(input);
  } catch (error) {
    if (error instanceof ZodError) throw new AppError("bad_request:models", describeZodError(error));
    throw error;
  }
  if (gate.status().manifest?.models.some((m) => m.id === entry.id && m.source !== entry.source)) {
    throw new AppError("conflict:models", `A model "${entry.id}" is already on record from another server.`);
  }
  saveAddedModel(addedManifestFile(dataDir), entry);
  saveServerKey(dataDir, entry.id, input.apiKey || undefined);
  await recordAuditEvent(db, { actorId: actor.id, actorEmail: actor.email, action: "model.add", target: entry.id, details: { entry } });
  await gate.reloadManifest();
  return entry;
}

/**
 * Makes a model write the answers: one on a connected server, or a local GGUF model (the local
 * model server loads it within seconds). Refused (409, with the gate's reason) unless allowed.
 */
export async function answerWithModel(db: Database, gate: ModelGate, actor: Actor, dataDir: string, modelId: string): Promise<void> {
  const entry = gate.status().manifest?.models.find((m) => m.id === modelId);
  const remote = entry?.format === "remote" && entry.served !== undefined;
  if (!entry || entry.role !== "generation" || !(remote || entry.format === "gguf")) {
    throw new AppError("bad_request:models", `"${modelId}" is not a generation model on a connected server or a local GGUF model.`);
  }
  try {
    if (remote) gate.assertServedModelAllowed("generation", entry.served!.name, `the LLM server at ${entry.source}`);
    else gate.assertModelAllowed(entry.id);
  } catch (error) {
    throw new AppError("conflict:models", (error as Error).message);
  }
  saveActiveGeneration(dataDir, remote ? { baseUrl: entry.source, apiKey: readServerKey(dataDir, entry.id), model: entry.served!.name, modelId: entry.id } : { local: true, modelId: entry.id });
  const details = remote ? { server: entry.source, model: entry.served!.name } : { server: "local" };
  await recordAuditEvent(db, { actorId: actor.id, actorEmail: actor.email, action: "model.activate", target: entry.id, details });
}

/** Back to the settings (LLM_BASE_URL, or the local model server). */
export async function answerWithSettings(db: Database, actor: Actor, dataDir: string): Promise<void> {
  saveActiveGeneration(dataDir, undefined);
  await recordAuditEvent(db, { actorId: actor.id, actorEmail: actor.email, action: "model.activate", target: "settings", details: {} });
}
