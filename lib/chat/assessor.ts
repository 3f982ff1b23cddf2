import "server-only";
/** The review policy's checks for chat turns (placeholder until lib/policy lands: releases everything). */
import type { Database } from "@/db/client";
import type { Embedder } from "@/lib/embeddings/types";
import type { TurnAssessor } from "@/lib/rag/turn";

export async function getTurnAssessor(_db: Database, _embedder: Embedder): Promise<TurnAssessor> {
  return {
    question: async () => ({ decision: "release", signals: [] }),
    answer: ({ prior }) => prior,
  };
}
