import { z } from "zod";
import { deleteMessagesFrom, getOwnedMessage, listMessages } from "@/db/queries/conversations";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { chatDeps, readableKbs } from "@/lib/chat/server";
import { messageView } from "@/lib/chat/views";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseJson, route } from "@/lib/http/route";
import { runTurn, TurnError, type TurnEvent } from "@/lib/rag/turn";

/** Events as the browser may see them: a finished message goes through messageView, which never carries held text or risk details. */
function toClient(event: TurnEvent) {
  return event.type === "done" ? { type: "done", message: messageView(event.message) } : event;
}

const bodySchema = z.object({
  conversationId: z.string().uuid().optional(),
  message: z.string().trim().min(1, "Type a question.").max(4000, "Questions are limited to 4,000 characters."),
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
  const encoder = new TextEncoder();
  const events = runTurn({ user, conversationId: body.conversationId, question: body.message, kbs }, deps, request.signal);
  // A client that goes away mid-answer cancels the stream: nothing more is sent, and it is no error.
  let gone = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await events.next();
        if (gone) return;
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(toClient(next.value))}\n\n`));
      } catch (error) {
        if (gone || request.signal.aborted) return void log.info("the client closed the answer before its end");
        if (!(error instanceof TurnError)) log.error({ err: error }, "chat turn failed");
        const message = error instanceof TurnError ? error.message : "Something went wrong while answering. Try again.";
        controller.enqueue(encoder.encode(`data: ${JSON.stringify({ type: "error", message })}\n\n`));
        controller.close();
      }
    },
    async cancel() {
      gone = true;
      await events.return(undefined);
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" } });
});
