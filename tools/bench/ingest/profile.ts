/**
 * Where one document's time goes: runs the real pipeline on sample files one
 * at a time (nothing else of ours running) and splits wall and CPU time into
 * parse, chunk, embed, store write and progress writes, per format.
 */
import crypto from "node:crypto";
import { runPipeline, type PipelineDeps, type Stage } from "@/ingest/pipeline";
import { prepareDocument, type Preparer } from "@/ingest/prepare/prepare";
import type { Embedder } from "@/lib/embeddings/types";
import type { VectorStore } from "@/lib/vectorstore";
import type { CorpusFile, CorpusFormat } from "./corpus";
import { TimedEmbedder, TimedStore, stopwatch, Tally } from "./measure";

export interface StageCosts {
  files: number;
  pages: number;
  chunks: number;
  /** Wall ms per stage; `parse`/`chunk` also carry CPU ms (the process does nothing else meanwhile). */
  parse: { wallMs: number; cpuMs: number };
  chunk: { wallMs: number; cpuMs: number };
  /** Of which countTokens calls (the chunker sizes every candidate chunk with it). */
  countTokensMs: number;
  countTokensCalls: number;
  embedMs: number;
  storeMs: number;
  progressWrites: number;
  /** Median latency of one progress write (writes made while a parse blocks the event loop look slower). */
  progressMedianMs: number;
  totalMs: number;
}

export type ProgressWriter = (stage: Stage, progress: number, facts?: Parameters<PipelineDeps["report"]>[2]) => Promise<boolean | void>;

const empty = (): StageCosts => ({
  files: 0, pages: 0, chunks: 0, parse: { wallMs: 0, cpuMs: 0 }, chunk: { wallMs: 0, cpuMs: 0 },
  countTokensMs: 0, countTokensCalls: 0, embedMs: 0, storeMs: 0, progressWrites: 0, progressMedianMs: 0, totalMs: 0,
});

/** Profile each file through runPipeline; `writeProgress` is the worker's real progress write (or a stub). */
export async function profileStages(
  files: readonly CorpusFile[],
  deps: { embedder: Embedder; store: VectorStore; kbId: string; writeProgress: ProgressWriter },
): Promise<Map<CorpusFormat, StageCosts>> {
  const out = new Map<CorpusFormat, StageCosts>();
  const latencies = new Map<CorpusFormat, number[]>();
  for (const file of files) {
    const costs = out.get(file.format) ?? empty();
    out.set(file.format, costs);
    const embedder = new TimedEmbedder(deps.embedder);
    const store = new TimedStore(deps.store);
    const progress = new Tally();
    const lat = latencies.get(file.format) ?? [];
    latencies.set(file.format, lat);
    const timed = async (fn: () => Promise<boolean | void>) => {
      const t0 = performance.now();
      try {
        return await progress.time(0, fn);
      } finally {
        lat.push(performance.now() - t0);
      }
    };
    let mark = stopwatch();
    let stage: Stage | undefined = "parsing";
    const total = stopwatch();
    // The preparation's own progress marks where a stage ends (the pipeline writes progress only twice a second).
    const onStage = (next: Stage) => {
      if (next === stage) return;
      const lap = mark();
      if (stage === "parsing") add(costs.parse, lap);
      if (stage === "chunking") add(costs.chunk, lap);
      stage = next;
      mark = stopwatch();
    };
    const preparer: Preparer = {
      embedderId: embedder.id,
      prepare: (input, opts) => prepareDocument(input, embedder, { ...opts, onProgress: (next, value, facts) => (onStage(next), opts?.onProgress?.(next, value, facts)) }),
    };
    const result = await runPipeline(
      { docId: crypto.randomUUID(), kbId: deps.kbId, version: 1, fileName: file.fileName, bytes: file.bytes },
      { preparer, store, report: (next, value, facts) => timed(() => deps.writeProgress(next, value, facts)) },
    );
    costs.totalMs += total().wallMs;
    costs.files++;
    costs.pages += result.pages;
    costs.chunks += result.chunkCount;
    costs.countTokensMs += embedder.countTally.ms;
    costs.countTokensCalls += embedder.countTally.calls;
    costs.embedMs += embedder.embedTally.ms;
    costs.storeMs += store.writes.ms;
    costs.progressWrites += progress.calls;
  }
  for (const [format, lat] of latencies) {
    const costs = out.get(format);
    if (costs) costs.progressMedianMs = [...lat].sort((a, b) => a - b)[Math.floor(lat.length / 2)] ?? 0;
  }
  return out;
}

function add(into: { wallMs: number; cpuMs: number }, lap: { wallMs: number; cpuMs: number }) {
  into.wallMs += lap.wallMs;
  into.cpuMs += lap.cpuMs;
}
