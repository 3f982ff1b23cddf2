/**
 * Experiments behind the defaults (issue 6 §3, issue 7 §1): does adapting the
 * static model's token weights to the ingested corpus (IDF) help, does
 * repeating title and heading path in the BM25 text help, and which fusion
 * weights keep hybrid at or above BM25 alone. Each variant copies the
 * ingested chunks into its own LanceDB table, so the production tables and
 * code paths stay untouched; only the varied part differs.
 */
import * as lancedb from "@lancedb/lancedb";
import { corpusTokenWeights, type CorpusWeighting } from "@/lib/embeddings/corpus-weights";
import type { StaticOnnxEmbedder } from "@/lib/embeddings/static";
import type { Embedder } from "@/lib/embeddings/types";
import { openLanceVectorStore, type StoredChunk, type VectorStore } from "@/lib/vectorstore";
import { chunkSchema, fileNameWords, fromRow, tableNameFor, toRow, type ChunkRow } from "@/lib/vectorstore/lancedb-schema";
import type { EvalQuestion } from "@/lib/eval/retrieval-score";
import { formatResults, runModes, type EvalMode, type ModeResult } from "@/lib/eval/retrieval-modes";

export interface VariantParams {
  questions: readonly EvalQuestion[];
  embedder: Embedder;
  store: VectorStore;
  kbIds: readonly string[];
  lancedbUri: string;
  ks: readonly number[];
  print: (line: string) => void;
}

/**
 * How the BM25 text of a chunk is laid out: headings (title + heading path)
 * repeated `headingRepeats` times before the text, optionally after the
 * words of the file name ("vhosts/name-based.html" → "vhosts name based").
 */
export interface SearchTextLayout {
  name: string;
  headingRepeats: number;
  fileName?: boolean;
}

export const SEARCH_TEXT_LAYOUTS: readonly SearchTextLayout[] = [
  { name: "text only", headingRepeats: 0 },
  { name: "headings x1", headingRepeats: 1 },
  { name: "headings x2", headingRepeats: 2 },
  { name: "headings x3", headingRepeats: 3 },
  { name: "file name + headings x1 (current)", headingRepeats: 1, fileName: true },
  { name: "file name + headings x2", headingRepeats: 2, fileName: true },
];

/** The layout buildSearchText writes (file name words, then headings once). */
export const CURRENT_LAYOUT = SEARCH_TEXT_LAYOUTS.findIndex((l) => l.fileName && l.headingRepeats === 1);

export function layoutSearchText(chunk: Pick<StoredChunk, "title" | "headingPath" | "text" | "fileName">, layout: SearchTextLayout): string {
  const title = chunk.title.trim();
  const headings = chunk.headingPath.trim();
  const head = [title !== "" && !headings.startsWith(title) ? title : "", headings].filter(Boolean).join("\n");
  const name = layout.fileName ? fileNameWords(chunk.fileName) : "";
  return [...(name ? [name] : []), ...Array.from({ length: head === "" ? 0 : layout.headingRepeats }, () => head), chunk.text].join("\n");
}

export const HYBRID_WEIGHTS: readonly number[] = [0.05, 0.1, 0.15, 0.2, 0.3, 0.5];

const hybridModes = (dense: readonly number[]): EvalMode[] => dense.map((v) => ({ name: `hybrid ${v}/${+(1 - v).toFixed(2)}`, weights: { vector: v, text: +(1 - v).toFixed(2) } }));

export async function readChunks(uri: string, tableName: string): Promise<StoredChunk[]> {
  const db = await lancedb.connect(uri);
  const table = await db.openTable(tableName);
  const rows = (await table.query().toArray()) as ChunkRow[];
  table.close();
  db.close();
  return rows.map((row) => {
    const { score: _s, rank: _r, ...hit } = fromRow(row, 0, 0);
    return { ...hit, vector: Float32Array.from(row.vector as Iterable<number>) };
  });
}

/** A store over a copy of `chunks` in a table of its own, with the given BM25 text layout. */
async function copyStore(uri: string, id: string, chunks: readonly StoredChunk[], layout: SearchTextLayout): Promise<VectorStore> {
  const dimensions = chunks[0]?.vector.length ?? 1;
  const db = await lancedb.connect(uri);
  const rows = chunks.map((c) => ({ ...toRow(c, dimensions), search_text: layoutSearchText(c, layout) }));
  const table = await db.createTable(tableNameFor(id, dimensions), rows, { schema: chunkSchema(dimensions), mode: "overwrite" });
  table.close();
  db.close();
  const store = await openLanceVectorStore({ uri, embedderId: id, dimensions, maintainEveryRows: 0 });
  await store.ensureIndexes({ force: true });
  return store;
}

/** Paired comparison: questions whose first correct chunk ranks higher (or lower) in `b` than in `a`. */
export function compareOutcomes(a: ModeResult, b: ModeResult): { better: number; worse: number } {
  let better = 0;
  let worse = 0;
  a.outcomes.forEach((o, i) => {
    const x = o.firstHit ?? Infinity;
    const y = b.outcomes[i]?.firstHit ?? Infinity;
    if (y < x) better++;
    else if (y > x) worse++;
  });
  return { better, worse };
}

function isStatic(embedder: Embedder): embedder is StaticOnnxEmbedder & Embedder {
  return embedder.kind === "static" && "withTokenWeights" in embedder && "encode" in embedder;
}

export async function runVariants(params: VariantParams): Promise<void> {
  const { questions, kbIds, ks, print } = params;
  const run = (embedder: Embedder, store: VectorStore, modes: EvalMode[]) => runModes({ questions, embedder, store, kbIds, ks, modes });
  const bm25: EvalMode = { name: "bm25", weights: { vector: 0, text: 1 } };
  const dense: EvalMode = { name: "dense", weights: { vector: 1, text: 0 } };
  const chunks = await readChunks(params.lancedbUri, params.store.tableName);

  print("\n## BM25 text layout (title + heading path before the chunk text)");
  const layoutResults: ModeResult[] = [];
  for (const [i, layout] of SEARCH_TEXT_LAYOUTS.entries()) {
    const store = await copyStore(params.lancedbUri, `eval-layout-${i}`, chunks, layout);
    const [bm, hy] = await run(params.embedder, store, [bm25, ...hybridModes([0.1])]);
    layoutResults.push({ ...bm!, mode: { ...bm!.mode, name: `bm25 ${layout.name}` } }, { ...hy!, mode: { ...hy!.mode, name: `${hy!.mode.name} ${layout.name}` } });
    await store.close();
  }
  print(formatResults(layoutResults, ks));
  const current = layoutResults[2 * CURRENT_LAYOUT]!;
  for (const r of layoutResults.filter((_, i) => i % 2 === 0 && i !== 2 * CURRENT_LAYOUT)) {
    const { better, worse } = compareOutcomes(current, r);
    print(`${r.mode.name} vs current bm25: first correct chunk ranked higher for ${better} question(s), lower for ${worse}`);
  }

  print("\n## Fusion weights (dense/BM25), plain embedder");
  print(formatResults(await run(params.embedder, params.store, [bm25, dense, ...hybridModes(HYBRID_WEIGHTS)]), ks));

  if (!isStatic(params.embedder)) return;
  const base = params.embedder;
  // Re-embed what the pipeline embedded: heading path, then text.
  const passages = chunks.map((c) => [c.headingPath, c.text].filter(Boolean).join("\n"));
  const encoded = passages.map((p) => base.encode(p));
  const sif = await base.defaultTokenWeights();
  for (const mode of ["idf", "sif-idf"] as CorpusWeighting[]) {
    const adapted = await base.withTokenWeights(corpusTokenWeights(encoded, base.vocabularySize, { mode, sif }));
    const vectors = await adapted.embed(passages, { kind: "passage" });
    const copy = chunks.map((c, i) => ({ ...c, vector: vectors[i]! }));
    const store = await copyStore(params.lancedbUri, adapted.id, copy, SEARCH_TEXT_LAYOUTS[CURRENT_LAYOUT]!);
    print(`\n## Corpus-adapted token weights: ${mode} (${adapted.id})`);
    print(formatResults(await run(adapted, store, [dense, ...hybridModes(HYBRID_WEIGHTS)]), ks));
    await store.close();
    await adapted.close();
  }
}
