/**
 * Labelled questions for training and evaluating the risk classifier, one JSON
 * object per line: {"q", "high": true, "category"} for a high-stakes question,
 * {"q", "high": false} for a routine one, {"q", "kind": "injection"} for an
 * injection attempt. "writer" names who wrote the line, so an evaluation can
 * leave whole writers out; other fields ("hard", "technique") are kept for reports.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseJsonLines } from "@/lib/json-lines";
import { ROUTINE } from "./categories";

const lineSchema = z.union([
  z.object({ q: z.string().min(1), high: z.literal(true), category: z.string().min(1), writer: z.string().optional() }),
  z.object({ q: z.string().min(1), high: z.literal(false), writer: z.string().optional() }),
  z.object({ q: z.string().min(1), kind: z.literal("injection"), writer: z.string().optional() }),
]);

export interface LabelledQuestion {
  text: string;
  /** A category id, "injection" or "routine". */
  label: string;
  writer: string;
  /** A routine question written to share a high-stakes category's words. */
  hard: boolean;
}

/** Parse JSONL text; a bad line throws naming its number. */
export function parseLabelledQuestions(text: string, source: string): LabelledQuestion[] {
  const read = (json: unknown): LabelledQuestion | undefined => {
    const d = lineSchema.safeParse(json).data;
    if (!d) return undefined;
    const label = "kind" in d ? "injection" : d.high ? d.category : ROUTINE;
    return { text: d.q, label, writer: d.writer ?? path.basename(source, ".jsonl"), hard: (json as { hard?: unknown }).hard === true };
  };
  return parseJsonLines(text, source, read, '{"q", "high", "category"}, {"q", "high": false} or {"q", "kind": "injection"}');
}

/** Every *.jsonl file in `folder`, in name order. */
export function loadLabelledQuestions(folder: string): LabelledQuestion[] {
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .flatMap((f) => parseLabelledQuestions(fs.readFileSync(path.join(folder, f), "utf8"), path.join(folder, f)));
}
