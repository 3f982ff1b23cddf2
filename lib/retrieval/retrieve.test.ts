import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Embedder, EmbedOptions } from "@/lib/embeddings/types";
import { openLanceVectorStore } from "@/lib/vectorstore/lancedb-store";
import { makeChunks } from "@/test/support/chunks";
import type { ChunkHit, SearchOptions, VectorStore } from "@/lib/vectorstore/types";
import { createHashingEmbedder } from "../../test/support/hashing-embedder";
import { retrieve } from "./retrieve";
import { hit } from "../../test/support/hits";

/** A store that returns fixed lists and records what it was asked. */
function stubStore(vector: ChunkHit[], text: ChunkHit[]) {
  const calls: { kind: string; query: unknown; options: SearchOptions }[] = [];
  const store: Pick<VectorStore, "searchVector" | "searchText"> = {
    searchVector: async (query, options) => {
      calls.push({ kind: "vector", query: Array.from(query), options });
      return vector;
    },
    searchText: async (query, options) => {
      calls.push({ kind: "text", query, options });
      return text;
    },
  };
  return { store, calls };
}

function stubEmbedder(kind: Embedder["kind"] = "static") {
  const calls: { texts: string[]; options: EmbedOptions }[] = [];
  const embedder = {
    kind,
    countTokens: (t: string) => t.split(" ").length,
    embed: async (texts: string[], options: EmbedOptions) => {
      calls.push({ texts, options });
      return [new Float32Array([1, 0])];
    },
  };
  return { embedder, calls };
}

describe("retrieve (fixed search results)", () => {
  it("embeds the query as a query, searches both lists in the caller's kbs, and fuses", async () => {
    const { store, calls } = stubStore([hit("a", 0.9), hit("b", 0.8)], [hit("b", 7), hit("c", 5)]);
    const { embedder, calls: embeds } = stubEmbedder("static");
    const result = await retrieve({ query: "refund policy", kbIds: ["A", "B"], embedder, store, k: 6 });
    expect(embeds).toEqual([{ texts: ["refund policy"], options: { kind: "query" } }]);
    expect(calls).toContainEqual({ kind: "text", query: "refund policy", options: { kbIds: ["A", "B"], limit: 30 } });
    expect(calls).toContainEqual({ kind: "vector", query: [1, 0], options: { kbIds: ["A", "B"], limit: 30 } });
    expect(result.weights).toEqual({ vector: 0.1, text: 0.9 });
    expect(result.chunks.map((c) => [c.id, c.vectorRank, c.textRank, c.vectorScore, c.textScore, c.tokens])).toEqual([
      ["b", 2, 1, 0.8, 7, 3],
      ["c", null, 2, null, 5, 3],
      ["a", 1, null, 0.9, null, 3],
    ]);
    expect(result.chunks[0]!.fusedScore).toBeCloseTo(0.1 * (61 / 62) + 0.9, 12);
    expect(result.counts).toEqual({ vector: 2, text: 2, fused: 3, duplicates: 0, belowMinScore: 0, overBudget: 0 });
    for (const v of Object.values(result.timings)) expect(v).toBeGreaterThanOrEqual(0);
  });

  it("retrieves nothing, without searching, for an empty kb list or query", async () => {
    const { store, calls } = stubStore([hit("a", 1)], [hit("a", 1)]);
    const { embedder } = stubEmbedder();
    expect((await retrieve({ query: "x", kbIds: [], embedder, store })).chunks).toEqual([]);
    expect((await retrieve({ query: "  ", kbIds: ["A"], embedder, store })).chunks).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("applies minScore, minVectorSimilarity, weights, k and the token budget", async () => {
    const long = "one two three four five six seven eight nine ten";
    const { store } = stubStore(
      [hit("a", 0.9), hit("low", 0.1)],
      [hit("b", 9, { text: long }), hit("c", 8), hit("d", 7)],
    );
    const { embedder } = stubEmbedder("transformer");
    const base = { query: "q", kbIds: ["A"], embedder, store };
    const gated = await retrieve({ ...base, minVectorSimilarity: 0.5, minScore: 0.45 });
    // Even weights: a (vector 1) and b (text 1) score 0.5, c (text 2) 0.492, d (text 3) 0.484.
    expect(gated.chunks.map((c) => c.id)).toEqual(["a", "b", "c", "d"]);
    expect(gated.counts).toMatchObject({ vector: 1, belowMinScore: 0 });
    const strict = await retrieve({ ...base, minScore: 0.495 });
    expect(strict.chunks.map((c) => c.id)).toEqual(["a", "b"]);
    expect(strict.counts.belowMinScore).toBe(3);
    const budget = await retrieve({ ...base, tokenBudget: 8, k: 2 });
    expect(budget.chunks.map((c) => c.id)).toEqual(["a", "c"]);
    expect(budget.counts.overBudget).toBe(1);
    const textOnly = await retrieve({ ...base, weights: { vector: 0 } });
    expect(textOnly.chunks.map((c) => c.id)).toEqual(["b", "c", "d"]);
    expect(textOnly.timings.embedMs).toBe(0);
  });

  it("drops duplicates and older versions of a document", async () => {
    const { store } = stubStore(
      [hit("doc-v1", 0.9, { docId: "doc", docVersion: 1, contentHash: "v1" })],
      [
        hit("doc-v2", 9, { docId: "doc", docVersion: 2, contentHash: "v2" }),
        hit("copy", 8, { contentHash: "v2" }),
        hit("other", 7),
      ],
    );
    const { embedder } = stubEmbedder();
    const result = await retrieve({ query: "q", kbIds: ["A"], embedder, store });
    expect(result.chunks.map((c) => c.id)).toEqual(["doc-v2", "other"]);
    expect(result.counts.duplicates).toBe(1);
  });
});

describe("retrieve (LanceDB)", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-retrieve-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("finds the right passage and only within readable knowledge bases", async () => {
    const embedder = createHashingEmbedder({ dimensions: 32 });
    const store = await openLanceVectorStore({ uri: root, embedderId: embedder.id, dimensions: 32, maintainEveryRows: 0 });
    await store.add(
      await makeChunks(embedder, [
        { kbId: "support", docId: "refunds", title: "Refunds", headingPath: "Refunds > Annual plans", text: "Annual subscriptions are refunded pro rata within 14 days." },
        { kbId: "support", docId: "shipping", title: "Shipping", headingPath: "Shipping > Canada", text: "Orders to Canada ship in 5 business days." },
        { kbId: "support", docId: "security", title: "Security", headingPath: "Security > Two-factor", text: "Reset two-factor authentication from the account page." },
        { kbId: "hr", docId: "salaries", title: "Salaries", headingPath: "Salaries", text: "Refunds of travel expenses and annual salary bands." },
      ]),
    );
    const result = await retrieve({ query: "how are annual plans refunded", kbIds: ["support"], embedder, store, k: 2 });
    expect(result.chunks[0]).toMatchObject({ docId: "refunds", headingPath: "Refunds > Annual plans", textRank: 1 });
    expect(result.chunks.every((c) => c.kbId === "support")).toBe(true);
    const hr = await retrieve({ query: "annual salary bands", kbIds: ["support"], embedder, store });
    expect(hr.chunks.some((c) => c.kbId === "hr")).toBe(false);
    await store.close();
  });
});
