/** Messages between the prepare pool (pool.ts) and its threads (pool-worker.ts). */
import type { IngestErrorCode } from "@/ingest/parse";
import type { EmbedderConfig } from "@/lib/embeddings/factory";
import type { PrepareInput, PreparedDocument, PrepareOptions, Stage } from "./prepare";

/** What a thread is started with: the embedder it loads (the plain-data part of its configuration). */
export type PoolThreadData = { embedder: Omit<EmbedderConfig, "log" | "fetch"> };

export type PoolRequest = ({ type: "prepare"; id: number } & PrepareInput) | { type: "abort"; id: number };

type Facts = Parameters<NonNullable<PrepareOptions["onProgress"]>>[2];

export type PoolReply =
  | { type: "ready"; embedderId: string; dimensions: number }
  | { type: "start-failed"; message: string }
  | { type: "progress"; id: number; stage: Stage; progress: number; facts?: Facts }
  | { type: "done"; id: number; doc: PreparedDocument }
  | { type: "failed"; id: number; error: { message: string; name: string; code?: IngestErrorCode; stack?: string } };
