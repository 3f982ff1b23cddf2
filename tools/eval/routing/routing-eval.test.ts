/**
 * Routing evaluation over the labelled questions with the real default static
 * embedder for topic similarity and no retrieval (the policy alone decides).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import type { Embedder } from "@/lib/embeddings/types";
import { openEmbedder } from "@/lib/engines/open";
import { parseEnv } from "@/lib/env";
import { assessQuestion, type SimilarityFn } from "../../../lib/review/assess";
import { DEFAULT_ROUTING_POLICY } from "../../../lib/review/default-policy";
import { formatRoutingReport, loadRoutingQuestions, scoreRouting, type RoutingScore } from "./score";
import { embeddingSimilarity } from "../../../lib/review/similarity";

const fixtures = path.join(import.meta.dirname, "fixtures");
let embedder: Embedder;
let similarity: SimilarityFn;

beforeAll(async () => {
  const env = parseEnv({});
  await ensureDefaultEmbeddingModel(env.modelsDir);
  embedder = await openEmbedder(env);
  similarity = embeddingSimilarity(embedder);
});
afterAll(async () => {
  await embedder?.close?.();
});

async function evaluate(file: string): Promise<RoutingScore> {
  const results = [];
  for (const question of loadRoutingQuestions(path.join(fixtures, file))) {
    results.push({ question, assessment: await assessQuestion({ question: question.q, chunks: [], policy: DEFAULT_ROUTING_POLICY, similarity }) });
  }
  const score = scoreRouting(results);
  console.log(`\n${file}\n${formatRoutingReport(score)}`);
  return score;
}

describe("routing evaluation (default policy, real static embedder)", () => {
  it("routes the labelled questions with recall ≥ 0.9 and precision ≥ 0.7, and catches ≥ 90% of injection attempts", async () => {
    const score = await evaluate("routing-questions.jsonl");
    expect(score.tp + score.fp + score.tn + score.fn).toBeGreaterThanOrEqual(40);
    expect(score.injections.total).toBeGreaterThanOrEqual(10);
    expect(score.recall).toBeGreaterThanOrEqual(0.9);
    expect(score.precision).toBeGreaterThanOrEqual(0.7);
    expect(score.injections.share).toBeGreaterThanOrEqual(0.9);
  });

  // routing-extra.jsonl: phrasings written after the policy, in batches, to probe how it generalises.
  // Untuned, each batch missed many high-stakes lines (recall 1/7, 3/8, 0/8, 1/8 on fresh batches);
  // the policy was widened with general patterns after each, except the last 16 lines, kept untuned
  // (recall 4/8 there). So the figures are printed, not asserted: keywords generalise poorly.
  it("prints the figures for the extra phrasings (routing-extra.jsonl)", async () => {
    const score = await evaluate("routing-extra.jsonl");
    expect(score.tp + score.fp + score.tn + score.fn).toBeGreaterThan(0);
  });
});
