/**
 * A turn's provenance, written with its message's final state in one transaction (and chained
 * into the audit log by db/queries/turn-records): who asked, which passages of which document
 * versions, which model under which policies, what was assessed and what was shown.
 */
import type { Database } from "@/db/client";
import { updateMessage, type Message, type NewMessage } from "@/db/queries/conversations";
import { insertTurnRecord, type NewTurnRecord, type TurnModel } from "@/db/queries/turn-records";
import type { Assessment } from "@/lib/review/assess";
import type { SourceSnapshot } from "./sources";

/** What the chat server knows about the models and policies in force for this turn. */
export interface TurnProvenance {
  modelPolicyVersion: number | null;
  reviewPolicyVersion: number | null;
  /** The writing model's manifest entry and files (absent when no model writes). */
  model?: TurnModel;
  /** The retention setting: keep question and answer texts, or only their hashes. */
  keepTexts: boolean;
}

export const NO_PROVENANCE: TurnProvenance = { modelPolicyVersion: null, reviewPolicyVersion: null, keepTexts: true };

export interface TurnOutcome {
  outcome: NewTurnRecord["outcome"];
  mode: NewTurnRecord["answerMode"];
  assessment: Assessment;
  /** The model that wrote it, as the server named it (generated answers only). */
  modelId?: string;
}

export interface TurnContext {
  user: { id: string; email: string };
  question: string;
  conversationId: string;
  kbIds: string[];
  sources: readonly SourceSnapshot[];
  provenance: TurnProvenance;
}

/** Gives the message its final state and writes the turn's record, together or not at all. */
export function finishTurn(db: Database, message: Partial<NewMessage> & { id: string }, turn: TurnContext, outcome: TurnOutcome): Promise<Message> {
  return db.transaction(async (tx) => {
    const row = (await updateMessage(tx, message))!;
    const released = outcome.outcome === "released" || outcome.outcome === "not_found" ? row.content : null;
    await insertTurnRecord(tx, {
      messageId: row.id,
      conversationId: turn.conversationId,
      userId: turn.user.id,
      userEmail: turn.user.email,
      question: turn.question,
      answer: released,
      outcome: outcome.outcome,
      answerMode: outcome.mode,
      kbIds: turn.kbIds,
      chunks: turn.sources.map((s) => ({ n: s.n, chunkId: s.chunkId, kbId: s.kbId, docId: s.docId, docVersion: s.docVersion, fileName: s.fileName })),
      model: outcome.mode === "generated" ? (turn.provenance.model ?? { id: outcome.modelId ?? "unknown", manifestEntry: null, files: [], adapters: [] }) : null,
      modelPolicyVersion: turn.provenance.modelPolicyVersion,
      reviewPolicyVersion: turn.provenance.reviewPolicyVersion,
      assessment: {
        decision: outcome.assessment.decision,
        topic: outcome.assessment.topic ?? null,
        signals: outcome.assessment.signals.map((s) => ({ kind: s.kind, action: s.action, reason: s.reason, score: s.score })),
      },
      keepTexts: turn.provenance.keepTexts,
    });
    return row;
  });
}
