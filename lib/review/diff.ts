/** The reviewer's edit as a unified diff (stored) and as word changes (shown). */
import { createTwoFilesPatch, diffWords } from "diff";

export function editDiff(draft: string, edited: string): string {
  return createTwoFilesPatch("draft", "approved", `${draft}\n`, `${edited}\n`, "", "", { context: 2 });
}

export interface WordChange {
  text: string;
  kind: "same" | "added" | "removed";
}

export function wordChanges(draft: string, edited: string): WordChange[] {
  return diffWords(draft, edited).map((p) => ({ text: p.value, kind: p.added ? "added" : p.removed ? "removed" : "same" }));
}
