/** Conversations and their messages; every read and write is scoped to the owner. */
import { and, asc, desc, eq, gte, isNull, lte } from "drizzle-orm";
import type { Database, Executor } from "../client";
import { conversations, messages } from "../schema";
import { recordRoutingLabel } from "./routing-labels";

export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

export async function createConversation(db: Database, { userId, title }: { userId: string; title: string }): Promise<Conversation> {
  const [row] = await db.insert(conversations).values({ userId, title: title.slice(0, 120) }).returning();
  return row!;
}

export function listConversations(db: Database, { userId }: { userId: string }) {
  return db.select().from(conversations).where(and(eq(conversations.userId, userId), isNull(conversations.hiddenAt))).orderBy(desc(conversations.updatedAt)).limit(200);
}

export async function getConversation(db: Database, { id, userId }: { id: string; userId: string }): Promise<Conversation | undefined> {
  const [row] = await db.select().from(conversations).where(and(eq(conversations.id, id), eq(conversations.userId, userId), isNull(conversations.hiddenAt)));
  return row;
}

export async function renameConversation(db: Database, { id, userId, title }: { id: string; userId: string; title: string }) {
  const [row] = await db.update(conversations).set({ title: title.slice(0, 120), updatedAt: new Date() }).where(and(eq(conversations.id, id), eq(conversations.userId, userId))).returning();
  return row;
}

/** An agent's delete hides the conversation; its messages, review items and turn records stay for the retention period. */
export async function deleteConversation(db: Database, { id, userId }: { id: string; userId: string }) {
  const [row] = await db.update(conversations).set({ hiddenAt: new Date() }).where(and(eq(conversations.id, id), eq(conversations.userId, userId), isNull(conversations.hiddenAt))).returning();
  return row;
}

export function listMessages(db: Database, { conversationId }: { conversationId: string }): Promise<Message[]> {
  return db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.createdAt));
}

export async function insertMessage(db: Database, message: NewMessage): Promise<Message> {
  const [row] = await db.insert(messages).values(message).returning();
  await db.update(conversations).set({ updatedAt: new Date() }).where(eq(conversations.id, message.conversationId));
  return row!;
}

export async function updateMessage(db: Executor, { id, ...changes }: Partial<NewMessage> & { id: string }): Promise<Message | undefined> {
  const [row] = await db.update(messages).set(changes).where(eq(messages.id, id)).returning();
  return row;
}

/** A message the user owns (through its conversation), or undefined. */
export async function getMessage(db: Database, { id }: { id: string }): Promise<Message | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  return row;
}

export async function getOwnedMessage(db: Database, { id, userId }: { id: string; userId: string }): Promise<Message | undefined> {
  const [row] = await db
    .select({ m: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, id), eq(conversations.userId, userId)));
  return row?.m;
}

/**
 * Records an agent's rating; with `missedReview`, also their word that this released answer
 * should have gone to a reviewer (a routing label with the question it answered), in one transaction.
 */
export async function setFeedback(
  db: Database,
  { id, feedback, missedReview }: { id: string; feedback: { rating: "up" | "down"; reason?: string } | null; missedReview?: { actorId: string } },
) {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(messages).set({ feedback }).where(eq(messages.id, id)).returning();
    if (row && missedReview) {
      const [question] = await tx
        .select({ content: messages.content })
        .from(messages)
        .where(and(eq(messages.conversationId, row.conversationId), eq(messages.role, "user"), lte(messages.createdAt, row.createdAt)))
        .orderBy(desc(messages.createdAt))
        .limit(1);
      await recordRoutingLabel(tx, { messageId: row.id, question: question?.content ?? "", neededReview: true, routedToReview: false, source: "agent", actorId: missedReview.actorId });
    }
    return row;
  });
}

/** Deletes the messages after `createdAt` in a conversation (regenerate replaces the last answer). */
export async function deleteMessagesFrom(db: Database, { conversationId, from }: { conversationId: string; from: Date }) {
  // gte, not raw sql: the column maps the Date to a timestamp; postgres.js cannot send a bare Date.
  await db.delete(messages).where(and(eq(messages.conversationId, conversationId), gte(messages.createdAt, from)));
}
