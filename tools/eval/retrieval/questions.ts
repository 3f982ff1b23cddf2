/** Evaluation questions: one JSON object a line, `{"q": "...", "expect": ["file", ...]}`. */
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { EvalQuestion } from "@/lib/eval/retrieval-score";

const questionSchema = z.object({
  q: z.string().trim().min(1),
  /** File names relative to the docs folder ("vhosts/name-based.html") or base names. */
  expect: z.array(z.string().trim().min(1)).min(1),
});

/** Parse JSONL text; throws naming the first bad line. Blank lines are skipped. */
export function parseEvalQuestions(text: string, source = "questions"): EvalQuestion[] {
  const out: EvalQuestion[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new Error(`${source} line ${i + 1}: not JSON (${(error as Error).message})`);
    }
    const parsed = questionSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${source} line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join(".") || "line"}: ${x.message}`).join("; ")}`);
    out.push(parsed.data);
  });
  return out;
}

export function loadEvalQuestions(file: string): EvalQuestion[] {
  return parseEvalQuestions(readFileSync(file, "utf8"), file);
}
