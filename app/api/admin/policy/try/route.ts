import { z } from "zod";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { parseJson, route } from "@/lib/http/route";
import { assessQuestion } from "@/lib/review/assess";
import { routingPolicySchema } from "@/lib/review/policy";
import { getEngines } from "@/lib/engines/server";
import { classifierVectors, getRiskClassifier, getRoutingSimilarity } from "@/lib/review/server";

const tryBodySchema = z.strictObject({
  question: z.string().trim().min(1, "Type a question to try.").max(4000),
  /** The editor's unsaved policy; the saved one when absent. */
  policy: routingPolicySchema.optional(),
});

/** Assess typed text as the chat would before retrieval (no passages), with the draft or saved policy. */
export const POST = route(async (request, { log }) => {
  await requireApiUser(ADMIN_ROLES);
  const body = await parseJson(request, tryBodySchema);
  const policy = body.policy ?? (await getCurrentRoutingPolicy(await getDb())).policy;
  let similarity;
  let note: string | undefined;
  try {
    similarity = await getRoutingSimilarity();
  } catch (error) {
    log.warn({ err: error }, "embedder unavailable; trying the question with keywords only");
    note = "The embedding model is unavailable, so only keywords and patterns were checked.";
  }
  const classifier = await getRiskClassifier(policy.classifier?.model).catch((error: Error) => {
    log.warn({ err: error }, "risk classifier unavailable; trying the question without it");
    note = [note, `The risk classifier is not in use: ${error.message}`].filter(Boolean).join(" ");
    return undefined;
  });
  const vectors = classifier && classifierVectors(classifier, (await getEngines()).embedder);
  const assessment = await assessQuestion({ question: body.question, chunks: [], policy, similarity, classifier, vectors });
  return Response.json({ assessment, ...(note ? { note } : {}) });
});
