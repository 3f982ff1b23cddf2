/**
 * A synthetic knowledge base for the retrieval benchmark: documents with a
 * topic each, chunks of ~120 words mixing Zipf-distributed background words
 * with the document's topic words, and questions built from one chunk's words.
 * Seeded, so every run measures the same corpus.
 */
import fs from "node:fs";
import { seededRandom } from "@/lib/random";
import type { ChunkSpec } from "@/test/support/chunks";

/**
 * English words by frequency, read from the head of the wink word-vector file
 * (its "words" array is frequency-ordered) so the real static embedder knows
 * them; made-up syllable words when the file is not there.
 */
export function loadVocabulary(file: string | undefined, size: number): string[] {
  if (file && fs.existsSync(file)) {
    const fd = fs.openSync(file, "r");
    try {
      const buffer = Buffer.alloc(4 * 1024 * 1024);
      const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
      const head = buffer.subarray(0, read).toString("utf8");
      const start = head.indexOf('"words":[');
      if (start >= 0) {
        const found = [...head.slice(start + 9).matchAll(/"([a-z]{2,})"/g)].map((m) => m[1]!);
        const unique = [...new Set(found)];
        if (unique.length >= size) return unique.slice(0, size);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  const random = seededRandom(7);
  const syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "pe", "dra", "gu", "zen", "bar", "qui", "sol"];
  const out = new Set<string>();
  while (out.size < size) {
    const n = 1 + Math.floor(random() * 3);
    out.add(Array.from({ length: n }, () => syllables[Math.floor(random() * syllables.length)]).join(""));
  }
  return [...out];
}

export interface CorpusOptions {
  chunks: number;
  vocabulary: readonly string[];
  kbs?: number;
  chunksPerDoc?: number;
  wordsPerChunk?: number;
  seed?: number;
}

export interface SyntheticCorpus {
  specs: ChunkSpec[];
  kbIds: string[];
  /** Questions with the document they were drawn from. */
  questions(count: number, seed?: number): { q: string; docId: string }[];
}

export function syntheticCorpus(options: CorpusOptions): SyntheticCorpus {
  const vocab = options.vocabulary;
  const random = seededRandom(options.seed ?? 42);
  const kbs = options.kbs ?? 10;
  const perDoc = options.chunksPerDoc ?? 20;
  const perChunk = options.wordsPerChunk ?? 120;
  // Zipf(1.07) background over the whole vocabulary.
  const cumulative = new Float64Array(vocab.length);
  let total = 0;
  for (let i = 0; i < vocab.length; i++) cumulative[i] = total += 1 / Math.pow(i + 1, 1.07);
  const zipf = () => {
    const x = random() * total;
    let lo = 0;
    let hi = vocab.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo]!;
  };
  // Topic words come from the less common half: they are what questions ask about.
  const topicWord = () => vocab[Math.floor(vocab.length * (0.05 + 0.9 * random()))]!;
  const specs: ChunkSpec[] = [];
  const topics = new Map<string, string[]>();
  for (let i = 0; i < options.chunks; i++) {
    const docNo = Math.floor(i / perDoc);
    const docId = `doc${docNo}`;
    let topic = topics.get(docId);
    if (!topic) {
      topic = Array.from({ length: 24 }, topicWord);
      topics.set(docId, topic);
    }
    const section = topic.slice((i % perDoc) % 6, ((i % perDoc) % 6) + 3);
    const text = Array.from({ length: perChunk }, () => (random() < 0.25 ? topic![Math.floor(random() * topic!.length)]! : zipf())).join(" ");
    specs.push({
      kbId: `kb${docNo % kbs}`,
      docId,
      chunkIndex: i % perDoc,
      fileName: `${docId}.md`,
      title: `${topic[0]} ${topic[1]} guide`,
      headingPath: section.join(" > "),
      text,
      contentHash: `h${i}`,
    });
  }
  return {
    specs,
    kbIds: Array.from({ length: kbs }, (_, i) => `kb${i}`),
    questions(count, seed = 99) {
      const pick = seededRandom(seed);
      return Array.from({ length: count }, () => {
        const spec = specs[Math.floor(pick() * specs.length)]!;
        const w = spec.text.split(" ");
        const terms = Array.from({ length: 4 }, () => w[Math.floor(pick() * w.length)]!);
        return { q: `how do I ${terms.join(" ")}`, docId: spec.docId };
      });
    },
  };
}
