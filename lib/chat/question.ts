/** What a question may be, and how it names its conversation: shared by the chat route, the turn and the chat page. */
import { maskPiiIn } from "@/lib/review/pii";

export const QUESTION_MAX_CHARS = 4000;

/** A new conversation's title: the question's start, with personal data masked. */
export function conversationTitle(question: string): string {
  return maskPiiIn(question.trim()).slice(0, 80);
}
