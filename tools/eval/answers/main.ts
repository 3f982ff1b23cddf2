/**
 * npm run eval:answers -- [--questions <file.jsonl>]... [--details] [--min-risk <0..1>]
 * Asks each question as an agent would, through the chat turn with answers quoted
 * (no writing model), over the sample knowledge base in a throwaway data folder,
 * with the default review policy and the shipped risk classifier. Prints per
 * writer: the share of answers that contain the expected fact, of ordinary
 * questions that reach the agent without a hold, and of high-stakes ones held.
 * Lines: {"q", "facts": ["span", ...], "ordinary": true|false, "writer"?}. --min-risk replaces the
 * classifier's threshold (default policy: 0.35), to show what a policy change trades.
 */
import fs from "node:fs";
import path from "node:path";
import { getReviewItemForMessage } from "@/db/queries/review";
import { createUser, SYSTEM_ACTOR } from "@/db/queries/users";
import { runTurn, type TurnAssessor } from "@/lib/rag/turn";
import { assessAnswer, assessQuestion, DEFAULT_ROUTING_POLICY, embeddingSimilarity } from "@/lib/review";
import { DEFAULT_CLASSIFIER_SETTINGS } from "@/lib/review/default-policy";
import { sentenceVectorsFor } from "@/lib/review/classifier";
import { loadEnvOrExit, parseArgs, startWithNativeSettings } from "@/scripts/_cli";
import { shippedClassifier, withSampleKnowledgeBase, type SampleWorld } from "../sample-kb";
import { containsFact, formatAnswerScores, parseAnswerQuestions, scoreAnswers, type AnsweredQuestion, type AnswerQuestion } from "./score";

await startWithNativeSettings();

const { flags, _: positional } = parseArgs(process.argv.slice(2));
const here = import.meta.dirname;
const files = typeof flags.questions === "string" ? [flags.questions, ...positional] : fs.readdirSync(here).filter((f) => f.endsWith(".jsonl")).sort().map((f) => path.join(here, f));
const questions = files.flatMap((f) => parseAnswerQuestions(fs.readFileSync(f, "utf8"), f));
const base = loadEnvOrExit();

const results = await withSampleKnowledgeBase(base, (world) => askAll(world, questions));
const writers = [...new Set(questions.map((q) => q.writer))];
console.log(`${questions.length} questions from ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}; answers quoted, default review policy${typeof flags["min-risk"] === "string" ? ` with the classifier's threshold at ${flags["min-risk"]}` : ""}`);
console.log(formatAnswerScores([...writers.map((w) => scoreAnswers(results.filter((r) => r.question.writer === w), w)), scoreAnswers(results, "all")]));
if (flags.details === true) printMisses(results);
process.exit(0);

async function askAll({ db, engines, kb }: SampleWorld, all: readonly AnswerQuestion[]): Promise<AnsweredQuestion[]> {
  const user = await createUser(db, { email: "eval-agent@eval.invalid", name: "Evaluation agent", role: "agent", passwordHash: "x", actor: SYSTEM_ACTOR });
  const similarity = embeddingSimilarity(engines.embedder);
  const classifier = shippedClassifier(base.manifestFile);
  const vectors = sentenceVectorsFor(classifier, engines.embedder);
  const minRisk = typeof flags["min-risk"] === "string" ? Number(flags["min-risk"]) : undefined;
  const settings = DEFAULT_ROUTING_POLICY.classifier ?? DEFAULT_CLASSIFIER_SETTINGS;
  const policy = minRisk === undefined ? DEFAULT_ROUTING_POLICY : { ...DEFAULT_ROUTING_POLICY, classifier: { ...settings, minRisk } };
  const assessor: TurnAssessor = {
    question: (input) => assessQuestion({ ...input, policy, similarity, classifier, vectors }),
    answer: (input) => assessAnswer({ ...input, policy }),
  };
  const deps = { db, embedder: engines.embedder, store: engines.store, llm: { quote: "" }, assessor };
  const out: AnsweredQuestion[] = [];
  for (const question of all) {
    let text = "";
    let status: AnsweredQuestion["status"] = "other";
    let why = "";
    for await (const event of runTurn({ user: { id: user.id, email: user.email }, question: question.q, kbs: [{ id: kb.id, topK: kb.topK, minScore: kb.minScore }] }, deps)) {
      if (event.type !== "done") continue;
      const m = event.message;
      status = m.status === "complete" || m.status === "held" || m.status === "refused" || m.status === "failed" ? m.status : "other";
      const risk = m.risk as { answer?: { signals: { action: string; reason: string }[] } } | null;
      why = (risk?.answer?.signals ?? []).filter((s) => s.action !== "none").map((s) => s.reason).join(" | ");
      text = m.status === "held" ? ((await getReviewItemForMessage(db, { messageId: m.id }))?.draft ?? "") : m.content;
    }
    out.push({ question, text, status, why });
  }
  return out;
}

function printMisses(results: readonly AnsweredQuestion[]) {
  console.log("\nFact missing, or ordinary question held:");
  for (const r of results) {
    const missed = r.question.facts.length > 0 && !containsFact(r.text, r.question.facts);
    const heldOrdinary = r.question.ordinary && r.status !== "complete";
    if (!missed && !heldOrdinary) continue;
    console.log(`- [${r.question.writer}] ${r.question.q}\n    ${[missed ? `want ${JSON.stringify(r.question.facts)}` : "", heldOrdinary ? `status ${r.status}: ${r.why ?? ""}` : ""].filter(Boolean).join("; ")}\n    got: ${r.text.replace(/\n/g, " ").slice(0, 300)}`);
  }
}
