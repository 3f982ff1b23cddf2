import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { z } from "zod";
import { listConversations } from "@/db/queries/conversations";
import { ALL_ROLES, requirePageUser } from "@/lib/auth/session";
import { loadConversation } from "@/lib/chat/access";
import { answeringModelLabel } from "@/lib/chat/model-label";
import { getDb } from "@/lib/db";
import { ChatApp } from "../_ui/chat-app";
import { maskPiiIn } from "@/lib/review/pii";

export const metadata: Metadata = { title: "Chat" };

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const user = await requirePageUser(ALL_ROLES);
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const [conversation, conversations, modelLabel] = await Promise.all([loadConversation(user.id, id), listConversations(await getDb(), { userId: user.id }), answeringModelLabel()]);
  if (!conversation) notFound();
  return <ChatApp key={id} conversations={conversations.map((c) => ({ id: c.id, title: maskPiiIn(c.title) }))} conversation={conversation} modelLabel={modelLabel} />;
}
