/**
 * Entry point of one parse-pool thread (see pool.ts): parses the files it is
 * sent, one at a time, and answers with the parsed document or the error.
 * Loaded through tsx's loader, so it may import TypeScript and "@/" paths.
 */
import { parentPort } from "node:worker_threads";
import { isIngestError } from "./errors";
import { parseDocument } from "./registry";
import type { PoolReply, PoolRequest } from "./pool-protocol";

/** Least time between two page reports (the pipeline writes progress twice a second at most anyway). */
const PAGE_EVERY_MS = 100;

const port = parentPort;
if (!port) throw new Error("pool-worker.ts must run in a worker thread");
const running = new Map<number, AbortController>();
const reply = (message: PoolReply) => port.postMessage(message);

port.on("message", (message: PoolRequest) => {
  if (message.type === "abort") {
    running.get(message.id)?.abort(new Error("aborted"));
    return;
  }
  const { id, fileName, bytes } = message;
  const controller = new AbortController();
  running.set(id, controller);
  let lastPage = 0;
  parseDocument(
    { bytes, fileName },
    {
      signal: controller.signal,
      onPage: (n, total) => {
        if (n === total || Date.now() - lastPage >= PAGE_EVERY_MS) {
          lastPage = Date.now();
          reply({ type: "page", id, n, total });
        }
      },
    },
  ).then(
    (doc) => reply({ type: "done", id, doc }),
    (error: unknown) => {
      const err = error instanceof Error ? error : new Error(String(error));
      reply({ type: "failed", id, error: { message: err.message, name: err.name, code: isIngestError(err) ? err.code : undefined, stack: err.stack } });
    },
  ).finally(() => running.delete(id));
});

reply({ type: "ready" });
