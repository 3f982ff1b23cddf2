/**
 * Turning a follow-up ("and for annual plans?") into a standalone search
 * query. With an LLM the conversation is rewritten; without one (or when it
 * fails) the previous questions' words are carried over, which is what BM25
 * and the embedder need to find the topic again.
 */
import { words } from "./words";

export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

/** Completes a prompt; the result's first line is taken as the query. */
export type RewriteLlm = (prompt: string, options?: { signal?: AbortSignal }) => Promise<string>;

export interface RewriteResult {
  query: string;
  method: "unchanged" | "heuristic" | "llm";
}

const CONNECTIVE = /^(and|also|but|or|so|then|plus|same for|what about|how about|what if|and if|ok(ay)?|else)\b/i;
const ANAPHORA = new Set(["it", "its", "that", "this", "those", "these", "they", "them", "their", "there", "he", "she", "his", "her", "one", "ones", "same"]);
const MAX_CONTEXT_WORDS = 40;
const MAX_QUERY_CHARS = 500;

/** A question that leans on earlier turns: starts with a connective or refers back with a pronoun. */
export function isFollowUp(question: string): boolean {
  const q = question.trim();
  if (CONNECTIVE.test(q)) return true;
  return words(q).some((w) => ANAPHORA.has(w));
}

/**
 * The fallback rewrite: prepend the previous user question (and the one
 * before it while those are follow-ups too), each cut to 40 words.
 */
export function rewriteQueryHeuristic(history: readonly ChatTurn[], question: string): RewriteResult {
  const q = question.trim();
  const previous = history.filter((t) => t.role === "user" && t.content.trim() !== "").map((t) => t.content.trim());
  if (previous.length === 0 || !isFollowUp(q)) return { query: q, method: "unchanged" };
  const context: string[] = [];
  for (let i = previous.length - 1; i >= 0 && context.length < 3; i--) {
    const turn = previous[i]!;
    context.unshift(words(turn).slice(0, MAX_CONTEXT_WORDS).join(" "));
    if (!isFollowUp(turn)) break; // reached the question that named the topic
  }
  return { query: [...context, q].join(" ").slice(0, MAX_QUERY_CHARS), method: "heuristic" };
}

/** The instruction sent to the LLM (exported for tests and for logging). */
export function buildRewritePrompt(history: readonly ChatTurn[], question: string): string {
  const turns = history
    .slice(-6)
    .map((t) => `${t.role === "user" ? "User" : "Assistant"}: ${t.content.trim().slice(0, 400)}`)
    .join("\n");
  return [
    "Rewrite the user's last question as one standalone search query that names its topic.",
    "Use the conversation only to resolve what the question refers to. Reply with the query only, on one line.",
    "",
    "Conversation:",
    turns,
    "",
    `Last question: ${question.trim()}`,
    "Standalone query:",
  ].join("\n");
}

function cleanLlmAnswer(answer: string): string {
  const line = answer.trim().split("\n")[0] ?? "";
  return line
    .replace(/^(standalone (search )?query|query)\s*:\s*/i, "")
    .replace(/^["'“]+|["'”]+$/g, "")
    .trim();
}

/**
 * Standalone query for `question`. The LLM is asked only when there is
 * history and the question looks like a follow-up (or `alwaysAskLlm`), since
 * on CPU every call delays the answer; any LLM failure falls back to the heuristic.
 */
export async function rewriteQuery(
  history: readonly ChatTurn[],
  question: string,
  llm?: RewriteLlm,
  options: { alwaysAskLlm?: boolean; signal?: AbortSignal } = {},
): Promise<RewriteResult> {
  const fallback = rewriteQueryHeuristic(history, question);
  const hasHistory = history.some((t) => t.role === "user");
  if (!llm || !hasHistory || (fallback.method === "unchanged" && !options.alwaysAskLlm)) return fallback;
  try {
    const answer = cleanLlmAnswer(await llm(buildRewritePrompt(history, question), { signal: options.signal }));
    if (answer === "" || answer.length > MAX_QUERY_CHARS) return fallback;
    return { query: answer, method: "llm" };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return fallback;
  }
}
