import "server-only";
/** Loading a user's conversation and messages for pages and routes. */
import { getConversation, listMessages } from "@/db/queries/conversations";
import { getReviewItemForMessage } from "@/db/queries/review";
import { getDb } from "@/lib/db";
import { messageView, type MessageView } from "./views";

export async function loadConversation(userId: string, id: string): Promise<{ id: string; title: string; messages: MessageView[] } | undefined> {
  const db = await getDb();
  const conversation = await getConversation(db, { id, userId });
  if (!conversation) return undefined;
  const rows = await listMessages(db, { conversationId: id });
  const messages = await Promise.all(
    rows.map(async (m) => messageView(m, ["held", "released", "rejected"].includes(m.status) ? await getReviewItemForMessage(db, { messageId: m.id }) : null)),
  );
  return { id: conversation.id, title: conversation.title, messages };
}
