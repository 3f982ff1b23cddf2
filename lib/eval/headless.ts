/**
 * Evaluation jobs outside the web server (`npm run eval`): the same runs over the same live
 * index, answer mode and review policy, from what the process opened itself.
 */
import type { Database } from "@/db/client";
import type { Actor } from "@/db/queries/users";
import { loadTurnAssessor, type AssessorSources } from "@/lib/chat/turn-assessor";
import { turnDepsFor } from "@/lib/chat/turn-deps";
import type { Engines } from "@/lib/engines/open";
import type { Env } from "@/lib/env";
import type { ChatModel } from "@/lib/llm";
import type { ModelGate } from "@/lib/models/model-gate";
import { embeddingSimilarity } from "@/lib/review";
import { sentenceVectorsFor } from "@/lib/review/classifier";
import { createClassifierLoader } from "@/lib/review/classifier-loader";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import type { EvalJobDeps } from "./jobs";

export function headlessJobDeps(input: { env: Env; db: Database; engines: Engines; gate: ModelGate; actor: Actor; warn(message: string): void }): EvalJobDeps {
  const { env, db, engines, gate } = input;
  const similarity = embeddingSimilarity(engines.embedder);
  const sources: AssessorSources = {
    similarity: async () => similarity,
    classifierFor: createClassifierLoader({ db: async () => db, gate: async () => gate, manifestFile: () => env.manifestFile }),
    vectorsFor: (classifier) => sentenceVectorsFor(classifier, engines.embedder),
    warn: (error, message) => input.warn(`${message}: ${error.message}`),
  };
  const assessor = async (judgeModel?: ChatModel) => loadTurnAssessor(await getCurrentRoutingPolicy(db), sources, judgeModel);
  return {
    db,
    world: async (kb) => ({
      embedder: engines.embedder,
      store: engines.store,
      kb,
      user: { id: input.actor.id ?? "", email: input.actor.email ?? "eval" },
      turnDeps: () => turnDepsFor({ env, db, engines, gate, assessor }),
    }),
    assessor: () => assessor(),
    context: async () => ({ embedder: engines.embedder.id, modelPolicyVersion: gate.status().policyVersion }),
  };
}
