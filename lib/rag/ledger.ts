/**
 * Where a turn writes what happened: the conversation, its messages, the review item of a
 * held answer and the turn's record. Chat turns write to Postgres; evaluation turns go
 * through the same pipeline into a ledger that keeps nothing, so evaluation questions never
 * enter anyone's history, the review queue or the record of answers.
 */
import crypto from "node:crypto";
import type { Database } from "@/db/client";
import { createConversation, getConversation, insertMessage, listMessages, type Message, type NewMessage } from "@/db/queries/conversations";
import { createReviewItem } from "@/db/queries/review";
import { conversationTitle } from "@/lib/chat/question";
import type { ChatTurn } from "@/lib/retrieval";
import { severityOf } from "@/lib/review/held-reason";
import type { RiskSignal } from "@/lib/review/signals";
import { finishTurn, type TurnContext, type TurnOutcome } from "./turn-record";

export interface HeldAnswer {
  draft: string;
  signals: RiskSignal[];
  topic?: string;
}

export interface OpenTurn {
  user: { id: string; email: string };
  conversationId?: string;
  question: string;
  kbIds: string[];
}

export interface TurnLedger {
  /** The conversation (created when new), its history, and the question as its newest message; undefined when it is not the user's. */
  open(input: OpenTurn): Promise<{ conversationId: string; userMessageId: string; history: ChatTurn[] } | undefined>;
  /** The answer's message while it streams. */
  begin(message: NewMessage): Promise<{ id: string }>;
  /** The answer's final state, with the turn's record. */
  finish(message: Partial<NewMessage> & { id: string }, turn: TurnContext, outcome: TurnOutcome): Promise<Message>;
  /** Files a held answer for a reviewer. */
  hold(input: OpenTurn, messageId: string, held: HeldAnswer): Promise<{ id: string }>;
}

export function postgresLedger(db: Database): TurnLedger {
  return {
    async open(input) {
      const conversation = input.conversationId
        ? await getConversation(db, { id: input.conversationId, userId: input.user.id })
        : await createConversation(db, { userId: input.user.id, title: conversationTitle(input.question) });
      if (!conversation) return undefined;
      const history: ChatTurn[] = (await listMessages(db, { conversationId: conversation.id }))
        .filter((m) => m.role === "user" || ["complete", "released"].includes(m.status))
        .map((m) => ({ role: m.role, content: m.content }));
      const userMessage = await insertMessage(db, { conversationId: conversation.id, role: "user", content: input.question });
      return { conversationId: conversation.id, userMessageId: userMessage.id, history };
    },
    begin: (message) => insertMessage(db, message),
    finish: (message, turn, outcome) => finishTurn(db, message, turn, outcome),
    hold: (input, messageId, held) =>
      createReviewItem(db, {
        messageId,
        agentId: input.user.id,
        agentEmail: input.user.email,
        kbIds: input.kbIds,
        question: input.question,
        draft: held.draft,
        topic: held.topic ?? null,
        reasons: held.signals.filter((s) => s.action && s.action !== "none"),
        severity: severityOf(held.signals),
      }),
  };
}

/** A ledger that keeps the turn in memory only: one question, no history; `held` keeps the draft a reviewer would have seen. */
export function memoryLedger(): TurnLedger & { held?: HeldAnswer } {
  const messages = new Map<string, Message>();
  const ledger: TurnLedger & { held?: HeldAnswer } = {
    async open() {
      return { conversationId: crypto.randomUUID(), userMessageId: crypto.randomUUID(), history: [] };
    },
    async begin(message) {
      const row = { id: crypto.randomUUID(), status: "streaming", sources: [], model: null, promptTokens: null, completionTokens: null, timings: {}, risk: null, feedback: null, createdAt: new Date(), ...message } as Message;
      messages.set(row.id, row);
      return row;
    },
    async finish(message) {
      const row = { ...messages.get(message.id)!, ...message } as Message;
      messages.set(row.id, row);
      return row;
    },
    async hold(_input, _messageId, held) {
      ledger.held = held;
      return { id: crypto.randomUUID() };
    },
  };
  return ledger;
}
