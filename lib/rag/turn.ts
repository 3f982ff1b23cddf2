/**
 * One chat turn, as a stream of events: rewrite → retrieve → assess the
 * question → (refuse | hold and draft on the server | stream, sentence-gated)
 * → check citations → persist. The LLM is never called when nothing relevant
 * was found (a high-stakes question then still goes to a reviewer, who can
 * answer it), and held text never leaves the server.
 */
import type { Database } from "@/db/client";
import type { Message } from "@/db/queries/conversations";
import type { Embedder } from "@/lib/embeddings/types";
import { isLlmError, type ChatModel, type ChatStreamEvent } from "@/lib/llm";
import { retrieve, rewriteQuery, type ChatTurn } from "@/lib/retrieval";
import { asQuoted, withoutGrounding, type Assessment } from "@/lib/review/assess";
import type { RiskSignal } from "@/lib/review/signals";
import { heldNotice } from "@/lib/review/held-reason";
import { screenPassages, setAsideNotice } from "./screen";
import type { GenerationAdmission } from "@/lib/llm/admission";
import type { VectorStore } from "@/lib/vectorstore";
import { checkCitations } from "./citations";
import { createSentenceGate } from "./gate";
import { buildPrompt } from "./prompt";
import { quoteAnswer, quoteFallbackNotice, type QuotedBy } from "./quote";
import { contentWords } from "@/lib/retrieval/words";
import { DEFAULT_RELEVANCE, relevanceOf } from "./relevance";
import { snapshotSources, type SourceSnapshot } from "./sources";
import { postgresLedger, type TurnLedger } from "./ledger";
import { NO_PROVENANCE, type TurnOutcome, type TurnProvenance } from "./turn-record";

export const NOT_FOUND_ANSWER = "I couldn't find this in the knowledge base.";

export type TurnAssessment = Assessment;

/** The review policy's checks (lib/policy), injected so the turn can be tested with simple ones. */
export interface TurnAssessor {
  /** The review-policy version these checks come from (recorded with each turn). */
  policyVersion?: number;
  question(input: { question: string; history: ChatTurn[]; chunks: { text: string; fusedScore: number; vectorScore: number | null }[] }): Promise<TurnAssessment>;
  answer(input: { question: string; answer: string; chunks: { text: string; fusedScore: number; vectorScore: number | null }[]; citedNumbers: number[]; prior: TurnAssessment }): TurnAssessment;
  /**
   * The model judge, present only when the answering model can be one. It reads the whole
   * draft, so a judged answer is sent at once when it passes rather than streamed; it can
   * only add holds. `note` (its verdict, or why there is none) is kept with the turn.
   */
  judge?(input: { question: string; answer: string }, signal?: AbortSignal): Promise<{ signals: RiskSignal[]; note: unknown }>;
}

export interface KbSettings {
  id: string;
  topK: number;
  minScore: number;
}

export interface TurnDeps {
  db: Database;
  embedder: Embedder;
  store: VectorStore;
  /** The model, or why there is none (down, or refused by the model policy). */
  llm: { model: ChatModel; maxTokens: number } | { unavailable: string } | { quote: string };
  assessor: TurnAssessor;
  /** The writing model's line (one per web server); without it a turn writes at once. */
  admission?: GenerationAdmission;
  /** Policies and model in force, for the turn's record (defaults: unknown versions, texts kept). */
  provenance?: TurnProvenance;
  /** Where the turn is written (default: Postgres); evaluations keep theirs in memory. */
  ledger?: TurnLedger;
}

export interface TurnInput {
  user: { id: string; email: string };
  conversationId?: string;
  question: string;
  /** Knowledge bases this user may read, with their retrieval settings. */
  kbs: KbSettings[];
}

export type TurnEvent =
  | { type: "start"; conversationId: string; userMessageId: string; messageId: string; sources: SourceSnapshot[]; model: string | null }
  | { type: "token"; text: string }
  | { type: "held"; reviewItemId: string; message: string }
  | { type: "notice"; message: string }
  /** Waiting for the writing model: the turn's place in line (1 = next) and the expected wait. */
  | { type: "queue"; position: number; etaSeconds: number }
  | { type: "done"; message: Message };

export class TurnError extends Error {}

export async function* runTurn(input: TurnInput, deps: TurnDeps, signal?: AbortSignal): AsyncGenerator<TurnEvent> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const ledger = deps.ledger ?? postgresLedger(deps.db);
  const kbIds = input.kbs.map((kb) => kb.id);
  // What the ledger records the turn under: the conversation it opens, and a held answer's review item.
  const asked = { ...input, kbIds };
  const opened = await ledger.open(asked);
  if (!opened) throw new TurnError("That conversation does not exist.");
  const { history, conversationId } = opened;

  const rewriteLlm = "model" in deps.llm ? llmRewriter(deps.llm.model, history, input.question) : undefined;
  const rewritten = await rewriteQuery(history, input.question, rewriteLlm, { signal });
  const k = Math.max(1, ...input.kbs.map((kb) => kb.topK));
  const retrieved = await retrieve({
    query: rewritten.query,
    kbIds,
    embedder: deps.embedder,
    store: deps.store,
    k,
    minScore: Math.min(...input.kbs.map((kb) => kb.minScore), 1),
  });
  timings.retrievalMs = retrieved.timings.totalMs;
  const screened = await screenPassages(
    retrieved.chunks.map((c) => ({ ...c, relevance: relevanceOf(rewritten.query, c) })).filter((c) => c.relevance >= DEFAULT_RELEVANCE.minCoverage),
    { db: deps.db, actor: input.user },
  );
  const relevant = screened.kept;
  const sources = snapshotSources(relevant);
  const chunkFacts = relevant.map((c) => ({ text: c.text, fusedScore: c.fusedScore, vectorScore: c.vectorScore, trusted: c.trusted }));
  const modelId = "model" in deps.llm ? deps.llm.model.id : null;
  const base = { conversationId, role: "assistant" as const, sources, timings };
  const turn = { user: input.user, question: input.question, conversationId, kbIds, sources, provenance: deps.provenance ?? NO_PROVENANCE };
  const finish = async (fields: Partial<Message> & { content: string; status: Message["status"] }, outcome: TurnOutcome) => {
    timings.totalMs = performance.now() - started;
    return ledger.finish({ id: assistant.id, ...fields, timings }, turn, outcome);
  };
  const assistant = await ledger.begin({ ...base, content: "", status: "streaming", model: modelId, risk: { rewrittenQuery: rewritten.query, rewriteMethod: rewritten.method } });
  yield { type: "start", conversationId, userMessageId: opened.userMessageId, messageId: assistant.id, sources, model: modelId };
  if (screened.setAside.length) yield { type: "notice", message: setAsideNotice(screened.setAside) };

  const assessment = await deps.assessor.question({ question: input.question, history, chunks: chunkFacts });
  const risk = { rewrittenQuery: rewritten.query, question: assessment };
  if (sources.length === 0 && assessment.decision !== "refuse") {
    if (assessment.decision === "hold") {
      // Nothing to quote or write from, but a high-stakes question deserves a person's answer, not "not found".
      const item = await ledger.hold(asked, assistant.id, { draft: NOT_FOUND_ANSWER, signals: assessment.signals, topic: assessment.topic });
      yield { type: "held", reviewItemId: item.id, message: heldNotice(assessment.signals) };
      yield { type: "done", message: await finish({ content: "", status: "held", risk, model: null }, { outcome: "held", mode: "none", assessment }) };
      return;
    }
    yield { type: "token", text: NOT_FOUND_ANSWER };
    yield { type: "done", message: await finish({ content: NOT_FOUND_ANSWER, status: "complete", risk, model: null }, { outcome: "not_found", mode: "none", assessment }) };
    return;
  }
  if (assessment.decision === "refuse") {
    const reasons = assessment.signals.filter((s) => s.action === "refuse").map((s) => s.reason);
    const text = `This question can't be answered by the assistant under your organisation's policy${reasons.length ? `: ${reasons.join("; ")}` : "."}`;
    yield { type: "token", text };
    yield { type: "done", message: await finish({ content: text, status: "refused", risk, model: null }, { outcome: "refused", mode: "none", assessment }) };
    return;
  }
  // Quoting needs no model: chosen (ANSWER_MODE, or no instruct model is up), or the fallback when the model is down or fails.
  let writer = "model" in deps.llm ? deps.llm : undefined;
  let quoted: QuotedBy | undefined = "quote" in deps.llm ? { reason: deps.llm.quote } : "unavailable" in deps.llm ? { fallback: deps.llm.unavailable } : undefined;
  if (quoted?.fallback) yield quoteNotice(quoted.fallback);
  // The writing model's line in this web server: the turn's place is shown while it waits, and a wait that
  // would be too long is answered with a quote instead of an error or a blank minute.
  let release: (() => void) | undefined;
  if (writer && deps.admission) {
    for await (const update of deps.admission.enter(signal)) {
      if (update.kind === "waiting") yield { type: "queue", position: update.position, etaSeconds: Math.ceil(update.etaMs / 1000) };
      else if (update.kind === "admitted") release = update.release;
      else {
        const busy = `the writing model is busy: about ${Math.ceil(update.etaMs / 1000)} s to wait`;
        writer = undefined;
        quoted = { fallback: busy };
        yield quoteNotice(busy);
      }
    }
    if (signal?.aborted && !release) return;
  }
  try {
    yield* answer();
  } finally {
    release?.();
  }

  /** From the risk decision to the final message, with the writing model's slot held (when it has one). */
  async function* answer(): AsyncGenerator<TurnEvent> {
    // A quote is the passages' own words: grounding cannot fail it, so only real risk holds it.
    const prior = quoted ? withoutGrounding(assessment) : assessment;
    const hold = prior.decision === "hold";
    // A turn already held needs no judge: it can only add holds. Nor does a quote: no model wrote it.
    let judged = deps.assessor.judge !== undefined && !hold && writer !== undefined;
    // A question just below a threshold may turn out high-stakes once answered: its answer is drafted in full
    // and checked before any of it is sent, so a hold never withdraws text the agent has already read.
    const careful = !hold && prior.signals.some((s) => s.near);
    // Sources the prompt carries; halved when the model says the prompt does not fit its context.
    // A citation beyond them points at a source the model never saw, so it counts as broken.
    let used = sources.length;
    // A quote's sentences are the passages' own: their support is not in question, only real risk is.
    const assessAnswer = (answer: string, citedNumbers: number[]) => {
      const assessed = deps.assessor.answer({ question: input.question, answer, chunks: chunkFacts, citedNumbers, prior });
      return quoted ? asQuoted(assessed, prior) : assessed;
    };
    const newGate = () => createSentenceGate((soFar) => assessAnswer(soFar, checkCitations(soFar, used).cited).decision === "release");
    let gate = newGate();
    let usage: { promptTokens: number; completionTokens: number } | undefined;
    let answerModel = writer?.model.id ?? "";
    let generated = "";
    const genStart = performance.now();
    for (;;) {
      try {
        const events = writer
          ? writer.model.stream(buildPrompt({ question: input.question, history, sources: sources.slice(0, used) }), { maxTokens: writer.maxTokens, temperature: 0.2 }, signal)
          : quoteEvents(input.question, sources, deps.embedder);
        for await (const event of events) {
          if (event.type === "done") {
            usage = event.result.usage;
            answerModel = event.result.model;
            break;
          }
          timings.firstTokenMs ??= performance.now() - started;
          generated += event.text;
          if (hold || judged || careful) continue; // held, or waiting for the judge or the full check: generate on the server, send nothing yet
          const safe = await gate.push(event.text);
          if (safe) yield { type: "token", text: safe };
        }
        break;
      } catch (error) {
        if (writer && generated === "" && used > 1 && isLlmError(error, "bad_request") && /context/i.test(error.message)) {
          used = Math.ceil(used / 2);
          continue;
        }
        // Only what the agent already saw is kept as the visible answer; unreleased text stays in the risk record.
        const partial = hold ? "" : gate.released;
        if (signal?.aborted) {
          yield { type: "done", message: await finish({ content: partial, status: "incomplete", risk: { ...risk, stopped: true }, model: writer ? answerModel : null }, { outcome: "incomplete", mode: writer ? "generated" : "quoted", assessment: prior, modelId: answerModel }) };
          return;
        }
        const why = isLlmError(error) ? error.message : `the language model failed: ${(error as Error).message}`;
        if (writer && partial === "") {
          // Nothing shown yet: quote the passages instead, and say why.
          ({ writer, quoted, judged, generated, used, gate } = { writer: undefined, quoted: { fallback: why }, judged: false, generated: "", used: sources.length, gate: newGate() });
          yield quoteNotice(why);
          continue;
        }
        yield* passagesInstead(why);
        yield { type: "done", message: await finish({ content: "", status: partial ? "incomplete" : "failed", risk: { ...risk, error: why, partial }, model: answerModel }, { outcome: partial ? "incomplete" : "failed", mode: writer ? "generated" : "quoted", assessment: prior, modelId: answerModel }) };
        return;
      }
    }
    if (used < sources.length) timings.sourcesTrimmedTo = used;
    timings.generationMs = performance.now() - genStart;
    const cites = checkCitations(generated, used);
    const final = assessAnswer(cites.text, cites.cited);
    // The gate judged each prefix as it streamed; the whole answer's check governs. When it passes, the text
    // the gate still held back is sent (a first sentence citing nothing yet stops the gate, not the answer).
    // A judged answer was never streamed: it is sent whole below, once the judge passes it.
    if (!hold && !judged && !careful && final.decision === "release") {
      const rest = generated.slice(gate.released.length);
      if (rest) yield { type: "token", text: rest };
    }
    const judgement = judged && final.decision === "release" ? await deps.assessor.judge!({ question: input.question, answer: cites.text }, signal) : undefined;
    const fullRisk = { ...risk, answer: final, brokenCitations: cites.broken, ...(judgement ? { judge: judgement.note } : {}), ...(quoted ? { quoted } : {}) };
    const tokens = quoted ? { model: null } : { model: answerModel, promptTokens: usage?.promptTokens, completionTokens: usage?.completionTokens };
    const mode = quoted ? "quoted" : "generated";
    if (judged && signal?.aborted) {
      yield { type: "done", message: await finish({ content: "", status: "incomplete", risk: { ...fullRisk, stopped: true }, ...tokens }, { outcome: "incomplete", mode, assessment: final, modelId: answerModel }) };
      return;
    }
    const judgeHolds = judgement?.signals ?? [];
    if (hold || final.decision !== "release" || judgeHolds.length > 0) {
      const signals = [...prior.signals, ...final.signals.filter((s) => !prior.signals.some((a) => a.reason === s.reason)), ...judgeHolds];
      const item = await ledger.hold(asked, assistant.id, { draft: cites.text, signals, topic: prior.topic ?? final.topic ?? judgeHolds[0]?.topicId });
      yield { type: "held", reviewItemId: item.id, message: heldNotice(signals) };
      yield { type: "done", message: await finish({ content: "", status: "held", risk: fullRisk, ...tokens }, { outcome: "held", mode, assessment: { ...final, signals }, modelId: answerModel }) };
      return;
    }
    if (judged || careful) yield { type: "token", text: cites.text };
    if (cites.broken.length) yield { type: "notice", message: `Removed citation${cites.broken.length > 1 ? "s" : ""} to missing source${cites.broken.length > 1 ? "s" : ""}: ${cites.broken.map((n) => `[${n}]`).join(", ")}.` };
    yield { type: "done", message: await finish({ content: cites.text, status: "complete", risk: fullRisk, ...tokens }, { outcome: "released", mode, assessment: final, modelId: answerModel }) };
  }
}

function quoteNotice(why: string): TurnEvent {
  return { type: "notice", message: quoteFallbackNotice(why) };
}

/** A quoted answer as a model's stream would carry it, word by word, so the sentence gate treats it alike. */
async function* quoteEvents(question: string, sources: readonly SourceSnapshot[], embedder: Embedder): AsyncGenerator<ChatStreamEvent> {
  const quote = await quoteAnswer(question, sources.map((s) => ({ n: s.n, text: s.text, headingPath: s.headingPath, relevance: s.scores.relevance })), embedder);
  const text = quote?.text ?? NOT_FOUND_ANSWER;
  for (const token of text.match(/\S+\s*/g) ?? []) yield { type: "token", text: token };
  yield { type: "done", result: { text, model: "", usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false }, finishReason: "stop" } };
}

function* passagesInstead(reason: string): Generator<TurnEvent> {
  yield { type: "notice", message: `No answer could be generated (${reason}). The passages that match your question are shown instead.` };
}

/**
 * The LLM's standalone query, kept only when it stays on the conversation's
 * words: a small or confused model's rewrite would otherwise steer retrieval away.
 */
function llmRewriter(model: ChatModel, history: readonly ChatTurn[], question: string) {
  const known = new Set(contentWords([...history.map((t) => t.content), question].join(" ")));
  return async (prompt: string, options?: { signal?: AbortSignal }) => {
    const text = (await model.complete([{ role: "user", content: prompt }], { maxTokens: 48, temperature: 0 }, options?.signal)).text;
    const words = contentWords(text);
    return words.length > 0 && words.filter((w) => known.has(w)).length / words.length >= 0.5 ? text : "";
  };
}
