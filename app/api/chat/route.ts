import { z } from "zod";
import { deleteMessagesFrom, getOwnedMessage, listMessages } from "@/db/queries/conversations";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { chatDeps, readableKbs } from "@/lib/chat/server";
import { QUESTION_MAX_CHARS } from "@/lib/chat/question";
import { messageView } from "@/lib/chat/views";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseJson, route } from "@/lib/http/route";
import { eventStream } from "@/lib/http/event-stream";
import { runTurn, TurnError, type TurnEvent } from "@/lib/rag/turn";

/** Events as the browser may see them: a finished message goes through messageView, which never carries held text or risk details. */
function toClient(event: TurnEvent) {
  return event.type === "done" ? { type: "done", message: messageView(event.message) } : event;
}

const bodySchema = z.object({
  conversationId: z.string().uuid().optional(),
  message: z.string().trim().min(1, "Type a question.").max(QUESTION_MAX_CHARS, `Questions are limited to ${QUESTION_MAX_CHARS.toLocaleString("en")} characters.`),
  /** Replace this answer (the conversation's last) with a new one. */
  regenerate: z.string().uuid().optional(),
});

/** One chat turn as Server-Sent Events (`data: {type, …}`); closing the request stops generation. */
export const POST = route(async (request, { log }) => {
  const user = await requireApiUser(ALL_ROLES);
  const body = await parseJson(request, bodySchema);
  const db = await getDb();
  if (body.regenerate) {
    if (!body.conversationId) throw new AppError("bad_request:chat", "Regenerating needs the conversation id.");
    const answer = await getOwnedMessage(db, { id: body.regenerate, userId: user.id });
    const all = await listMessages(db, { conversationId: body.conversationId });
    const i = all.findIndex((m) => m.id === body.regenerate);
    if (!answer || i !== all.length - 1 || all[i - 1]?.role !== "user") throw new AppError("bad_request:chat", "Only the latest answer can be regenerated.");
    await deleteMessagesFrom(db, { conversationId: body.conversationId, from: all[i - 1]!.createdAt });
  }
  const [deps, kbs] = await Promise.all([chatDeps(), readableKbs(user)]);
  const events = runTurn({ user, conversationId: body.conversationId, question: body.message, kbs }, deps, request.signal);
  const stream = eventStream(events, {
    toData: toClient,
    aborted: () => request.signal.aborted,
    onError: (error) => {
      if (!(error instanceof TurnError)) log.error({ err: error }, "chat turn failed");
      return error instanceof TurnError ? error.message : "Something went wrong while answering. Try again.";
    },
    onGone: () => log.info("the client closed the answer before its end"),
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" } });
});
