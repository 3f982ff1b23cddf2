/** The evaluation questions shipped with the sample knowledge base. */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { sampleQuestionsPath } from "./manifest";

export const sampleQuestionSchema = z.object({
  q: z.string().min(1),
  /** File names (as in SAMPLE_TOPICS[].file) that hold the answer. */
  expect: z.array(z.string().min(1)).min(1),
});

export type SampleQuestion = z.infer<typeof sampleQuestionSchema>;

/** Read and validate questions.jsonl; throws naming the bad line. */
export function loadSampleQuestions(file: string = sampleQuestionsPath()): SampleQuestion[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== "")
    .map(([line, n]) => {
      const parsed = sampleQuestionSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`questions.jsonl line ${n}: ${parsed.error.message}`);
      return parsed.data;
    });
}
