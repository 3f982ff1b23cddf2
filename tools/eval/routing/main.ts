/**
 * npm run eval:routing -- [--questions <file.jsonl>] [--verbose] [--no-classifier]
 * Runs each question through the assessment the chat uses (hybrid retrieval
 * over the sample knowledge base, then assessQuestion with the default
 * routing policy and embedding similarity), in a throwaway data folder.
 * Prints precision, recall and the confusion matrix for {"q","high"} lines
 * and the held/refused share for {"q","kind"} injection lines. Exits 0.
 */
import path from "node:path";
import { assessQuestion, DEFAULT_ROUTING_POLICY, embeddingSimilarity } from "@/lib/review";
import { shippedClassifier, withSampleKnowledgeBase } from "../sample-kb";
import { formatRoutingReport, loadRoutingQuestions, scoreRouting } from "./score";
import { retrieve } from "@/lib/retrieval";
import { sentenceVectorsFor } from "@/lib/review/classifier";
import { loadEnvOrExit, parseArgs, startWithNativeSettings } from "@/scripts/_cli";

await startWithNativeSettings();

const { flags } = parseArgs(process.argv.slice(2));
const file = typeof flags.questions === "string" ? flags.questions : path.resolve(import.meta.dirname, "fixtures/routing-questions.jsonl");
const verbose = flags.verbose === true;
const useClassifier = flags["no-classifier"] !== true;
const questions = loadRoutingQuestions(file);
const base = loadEnvOrExit();

await withSampleKnowledgeBase(base, async ({ engines, kb }) => {
  const similarity = embeddingSimilarity(engines.embedder);
  const classifier = useClassifier ? shippedClassifier(base.manifestFile) : undefined;
  const vectors = classifier && sentenceVectorsFor(classifier, engines.embedder);
  const results = [];
  for (const question of questions) {
    const { chunks } = await retrieve({ query: question.q, kbIds: [kb.id], embedder: engines.embedder, store: engines.store });
    const assessment = await assessQuestion({
      question: question.q,
      chunks: chunks.map((c) => ({ text: c.text, fusedScore: c.fusedScore, vectorScore: c.vectorScore })),
      policy: DEFAULT_ROUTING_POLICY,
      similarity,
      classifier,
      vectors,
    });
    if (verbose) {
      const best = chunks[0];
      const label = "high" in question ? (question.high ? "high" : "routine") : `injection:${question.kind}`;
      console.log(`${assessment.decision.padEnd(7)} ${label.padEnd(22)} top=${best ? `${best.fusedScore.toFixed(2)}/${best.vectorScore?.toFixed(2) ?? "-"}` : "none"} ${question.q.slice(0, 70)}`);
    }
    results.push({ question, assessment });
  }
  console.log(`questions: ${file}${classifier ? "" : " (without the risk classifier)"}`);
  console.log(formatRoutingReport(scoreRouting(results)));
});
process.exit(0);
