/**
 * Instruments for the ingestion benchmark: an RSS sampler, a stopwatch that
 * reads wall and CPU time, and pass-through wrappers that time the embedder
 * and the vector store while the real worker drives them.
 */
import type { Embedder, EmbedOptions } from "@/lib/embeddings/types";
import type { SearchOptions, StoredChunk, VectorStore } from "@/lib/vectorstore";

/** Samples process RSS every `everyMs` and remembers the peak (per phase, resettable). */
export function startRssSampler(everyMs = 100) {
  let peak = process.memoryUsage().rss;
  let phasePeak = peak;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    phasePeak = Math.max(phasePeak, rss);
  }, everyMs);
  timer.unref();
  return {
    peak: () => peak,
    /** Peak since the last call (or since start), then start a new phase. */
    phase: () => {
      const p = phasePeak;
      phasePeak = process.memoryUsage().rss;
      return p;
    },
    stop: () => clearInterval(timer),
  };
}

export interface Lap {
  wallMs: number;
  /** User + system CPU of the whole process (all threads: onnxruntime, LanceDB) during the lap. */
  cpuMs: number;
}

export function stopwatch(): () => Lap {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
  };
}

/** Accumulated wall time and call count of one instrumented operation. */
export class Tally {
  ms = 0;
  calls = 0;
  items = 0;
  async time<T>(items: number, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.ms += performance.now() - t0;
      this.calls++;
      this.items += items;
    }
  }
  timeSync<T>(fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.ms += performance.now() - t0;
      this.calls++;
    }
  }
}

/** An embedder that times embed() and countTokens() and keeps every text it embedded. */
export class TimedEmbedder implements Embedder {
  readonly embedTally = new Tally();
  readonly countTally = new Tally();
  readonly texts: string[] = [];
  constructor(private readonly inner: Embedder) {}
  get id() {
    return this.inner.id;
  }
  get kind() {
    return this.inner.kind;
  }
  get dimensions() {
    return this.inner.dimensions;
  }
  get maxBatch() {
    return this.inner.maxBatch;
  }
  get maxTokens() {
    return this.inner.maxTokens;
  }
  embed(texts: string[], options: EmbedOptions): Promise<Float32Array[]> {
    this.texts.push(...texts);
    return this.embedTally.time(texts.length, () => this.inner.embed(texts, options));
  }
  countTokens(text: string): number {
    return this.countTally.timeSync(() => this.inner.countTokens(text));
  }
}

/** A vector store that times writes and index maintenance and passes everything else through. */
export class TimedStore implements VectorStore {
  readonly writes = new Tally();
  readonly maintenance = new Tally();
  constructor(private readonly inner: VectorStore) {}
  get tableName() {
    return this.inner.tableName;
  }
  get dimensions() {
    return this.inner.dimensions;
  }
  add(chunks: readonly StoredChunk[]) {
    return this.writes.time(chunks.length, () => this.inner.add(chunks));
  }
  replaceDocument(docId: string, chunks: readonly StoredChunk[]) {
    return this.writes.time(chunks.length, () => this.inner.replaceDocument(docId, chunks));
  }
  ensureIndexes(options?: { force?: boolean }) {
    return this.maintenance.time(0, () => this.inner.ensureIndexes(options));
  }
  deleteDocument(docId: string) {
    return this.inner.deleteDocument(docId);
  }
  deleteKnowledgeBase(kbId: string) {
    return this.inner.deleteKnowledgeBase(kbId);
  }
  searchVector(vector: Float32Array | readonly number[], options: SearchOptions) {
    return this.inner.searchVector(vector, options);
  }
  searchText(query: string, options: SearchOptions) {
    return this.inner.searchText(query, options);
  }
  readDocument(docId: string) {
    return this.inner.readDocument(docId);
  }
  listDocumentIds(options?: { kbId?: string }) {
    return this.inner.listDocumentIds(options);
  }
  count(options?: { kbId?: string }) {
    return this.inner.count(options);
  }
  stats() {
    return this.inner.stats();
  }
  close() {
    return this.inner.close();
  }
}

/** Embed `texts` directly in slices of maxBatch: the embedder's raw throughput, nothing else. */
export async function rawEmbed(embedder: Embedder, texts: readonly string[]): Promise<Lap> {
  const lap = stopwatch();
  for (let i = 0; i < texts.length; i += embedder.maxBatch) await embedder.embed(texts.slice(i, i + embedder.maxBatch), { kind: "passage" });
  return lap();
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const rate = (n: number, ms: number) => (ms > 0 ? (n / ms) * 1000 : 0);
