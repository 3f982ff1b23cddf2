import "server-only";
/** The web server's one embedding switcher (Admin › Models › Embedding model). */
import { getDb } from "@/lib/db";
import { openEngines } from "@/lib/engines/open";
import { getEngines } from "@/lib/engines/server";
import { getEnv } from "@/lib/env";
import { processSingleton } from "@/lib/process-singleton";
import { embeddingCandidates, type EmbeddingCandidate } from "./embedding-choice";
import { createEmbeddingSwitcher, type EmbeddingSwitch, type SwitcherDeps } from "./embedding-switch";
import { checkEmbeddingGate } from "@/lib/eval/gates";
import { getModelGate } from "./service";

export const getEmbeddingSwitcher = processSingleton("embedding-switcher", async () =>
  createEmbeddingSwitcher({ db: await getDb(), gate: await getModelGate(), env: getEnv(), current: getEngines, open: openEngines, beforeActivate: await gatedSets() }),
);

/** The evaluation gate: a new model must search the gated question sets at least as well as the active one. */
async function gatedSets(): Promise<SwitcherDeps["beforeActivate"]> {
  const db = await getDb();
  return async ({ actor, modelId, active, candidate }) => {
    const verdict = await checkEmbeddingGate(db, { actor, candidateId: modelId, active, candidate });
    if (!verdict.passed) throw new Error(verdict.message);
  };
}

export interface EmbeddingView {
  candidates: EmbeddingCandidate[];
  switch: EmbeddingSwitch | null;
}

export async function embeddingView(): Promise<EmbeddingView> {
  const [gate, switcher] = await Promise.all([getModelGate(), getEmbeddingSwitcher()]);
  return { candidates: embeddingCandidates(gate, getEnv()), switch: switcher.status() ?? null };
}
