/** Messages between the parse pool (pool.ts) and its threads (pool-worker.ts). */
import type { IngestErrorCode } from "./errors";
import type { ParsedDocument } from "./types";

export type PoolRequest = { type: "parse"; id: number; fileName: string; bytes: Uint8Array } | { type: "abort"; id: number };

export type PoolReply =
  | { type: "ready" }
  | { type: "page"; id: number; n: number; total: number }
  | { type: "done"; id: number; doc: ParsedDocument }
  | { type: "failed"; id: number; error: { message: string; name: string; code?: IngestErrorCode; stack?: string } };
