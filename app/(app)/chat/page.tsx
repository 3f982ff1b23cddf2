import type { Metadata } from "next";
import { connection } from "next/server";
import { listConversations } from "@/db/queries/conversations";
import { ALL_ROLES, requirePageUser } from "@/lib/auth/session";
import { answeringModelLabel } from "@/lib/chat/model-label";
import { getDb } from "@/lib/db";
import { ChatApp } from "./_ui/chat-app";
import { maskPiiIn } from "@/lib/review/pii";

export const metadata: Metadata = { title: "Chat" };

export default async function NewChatPage() {
  await connection();
  const user = await requirePageUser(ALL_ROLES);
  const [conversations, modelLabel] = await Promise.all([listConversations(await getDb(), { userId: user.id }), answeringModelLabel()]);
  return <ChatApp key="new" conversations={conversations.map((c) => ({ id: c.id, title: maskPiiIn(c.title) }))} conversation={null} modelLabel={modelLabel} />;
}
