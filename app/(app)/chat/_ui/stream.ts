/** Reads the chat route's Server-Sent Events. */
import type { SourceSnapshot } from "@/lib/rag/sources";

export type ChatEvent =
  | { type: "start"; conversationId: string; userMessageId: string; messageId: string; sources: SourceSnapshot[]; model: string | null }
  | { type: "token"; text: string }
  | { type: "held"; reviewItemId: string; message: string }
  | { type: "notice"; message: string }
  | { type: "queue"; position: number; etaSeconds: number }
  | { type: "done"; message: unknown }
  | { type: "error"; message: string };

export async function* readChatEvents(response: Response): AsyncGenerator<ChatEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
      if (data) yield JSON.parse(data) as ChatEvent;
    }
  }
}
