/**
 * Entry point of one prepare-pool thread (see pool.ts): loads the embedder it
 * was started with, then prepares the files it is sent, one at a time, and
 * answers with the prepared document or the error. Loaded through tsx's
 * loader, so it may import TypeScript and "@/" paths.
 */
import { parentPort, workerData } from "node:worker_threads";
import { isIngestError } from "@/ingest/parse";
import { createEmbedder } from "@/lib/embeddings/factory";
import type { PoolReply, PoolRequest, PoolThreadData } from "./pool-protocol";
import { prepareDocument } from "./prepare";

/** Least time between two progress reports (the worker writes progress twice a second at most anyway). */
const PROGRESS_EVERY_MS = 100;

const port = parentPort;
if (!port) throw new Error("pool-worker.ts must run in a worker thread");
const reply = (message: PoolReply) => port.postMessage(message);
const { embedder: config } = workerData as PoolThreadData;

// The main thread has built the model already; a thread only loads it.
const embedder = await createEmbedder({ ...config, buildIfMissing: false }).catch((error: unknown) => {
  reply({ type: "start-failed", message: error instanceof Error ? error.message : String(error) });
  return undefined;
});

if (embedder) {
  const running = new Map<number, AbortController>();
  port.on("message", (message: PoolRequest) => {
    if (message.type === "abort") {
      running.get(message.id)?.abort(new Error("aborted"));
      return;
    }
    const { id, type: _, ...input } = message;
    const controller = new AbortController();
    running.set(id, controller);
    let last = 0;
    prepareDocument(input, embedder, {
      signal: controller.signal,
      onProgress: (stage, progress, facts) => {
        if (facts || progress === 1 || Date.now() - last >= PROGRESS_EVERY_MS) {
          last = Date.now();
          reply({ type: "progress", id, stage, progress, facts });
        }
      },
    })
      .then(
        // The vectors' memory moves to the main thread rather than being copied.
        (doc) => port.postMessage({ type: "done", id, doc } satisfies PoolReply, [...new Set(doc.chunks.map((c) => c.vector.buffer as ArrayBuffer))]),
        (error: unknown) => {
          const err = error instanceof Error ? error : new Error(String(error));
          reply({ type: "failed", id, error: { message: err.message, name: err.name, code: isIngestError(err) ? err.code : undefined, stack: err.stack } });
        },
      )
      .finally(() => running.delete(id));
  });
  reply({ type: "ready", embedderId: embedder.id, dimensions: embedder.dimensions });
}
