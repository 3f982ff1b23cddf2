import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashingEmbedder } from "@/test/support/hashing-embedder";
import * as lancedb from "@lancedb/lancedb";
import { Schema } from "apache-arrow";
import { openLanceVectorStore, type LanceVectorStore, type LanceVectorStoreOptions } from "./lancedb-store";
import { chunkSchema, tableNameFor } from "./lancedb-schema";
import { makeChunks } from "../../test/support/chunks";

const embedder = createHashingEmbedder({ dimensions: 16, id: "test-hash" });
let root: string;
const stores: LanceVectorStore[] = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-lance-"));
});
afterAll(async () => {
  for (const s of stores) await s.close();
  fs.rmSync(root, { recursive: true, force: true });
});

let counter = 0;
async function open(overrides: Partial<LanceVectorStoreOptions> = {}) {
  const store = await openLanceVectorStore({
    uri: path.join(root, `db${counter++}`),
    embedderId: embedder.id,
    dimensions: embedder.dimensions,
    maintainEveryRows: 0,
    ...overrides,
  });
  stores.push(store);
  return store;
}
const query = async (text: string) => (await embedder.embed([text], { kind: "query" }))[0]!;
const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

describe("LanceVectorStore", () => {
  it("names one table per embedding model and dimension", async () => {
    const store = await open();
    expect(store.tableName).toBe("chunks__test_hash__16");
  });

  it("adds, searches, lists and deletes", async () => {
    const store = await open();
    await store.add(
      await makeChunks(embedder, [
        { kbId: "A", docId: "refunds", text: "Refunds are issued within five business days" },
        { kbId: "A", docId: "billing", text: "Invoices are emailed on the first of each month" },
        { kbId: "A", docId: "billing", chunkIndex: 1, text: "Card payments retry three times" },
      ]),
    );
    expect(await store.count()).toBe(3);
    const text = await store.searchText("refunding issued", { kbIds: ["A"], limit: 5 });
    expect(ids(text)).toEqual(["refunds:1:0"]);
    expect(text[0]).toMatchObject({ kbId: "A", docId: "refunds", fileName: "refunds.md", rank: 1, pageStart: null });
    const vec = await store.searchVector(await query("Card payments retry three times"), { kbIds: ["A"], limit: 1 });
    expect(ids(vec)).toEqual(["billing:1:1"]);
    expect(vec[0]!.score).toBeCloseTo(1, 5); // same text, same vector: cosine similarity 1
    expect(await store.listDocumentIds()).toEqual([
      { docId: "billing", kbId: "A", versions: [1] },
      { docId: "refunds", kbId: "A", versions: [1] },
    ]);
    expect(await store.deleteDocument("billing")).toBe(2);
    expect(await store.count()).toBe(1);
    expect(await store.searchText("invoices card", { kbIds: ["A"], limit: 5 })).toEqual([]);
  });

  it("stores provenance: pages, offsets, title and hash come back as written", async () => {
    const store = await open();
    const [chunk] = await makeChunks(embedder, [{ kbId: "A", docId: "pdf", title: "Guide", headingPath: "Billing > Refunds", text: "paged text" }]);
    await store.add([{ ...chunk!, fileName: "guide.pdf", pageStart: 3, pageEnd: 4, charStart: 120, charEnd: 130, contentHash: "abc" }]);
    const [hit] = await store.searchText("paged", { kbIds: ["A"], limit: 1 });
    expect(hit).toEqual({
      id: "pdf:1:0",
      kbId: "A",
      docId: "pdf",
      docVersion: 1,
      fileName: "guide.pdf",
      chunkIndex: 0,
      text: "paged text",
      headingPath: "Billing > Refunds",
      title: "Guide",
      pageStart: 3,
      pageEnd: 4,
      charStart: 120,
      charEnd: 130,
      contentHash: "abc",
      score: hit!.score,
      rank: 1,
    });
    expect(hit!.score).toBeGreaterThan(0);
  });

  it("never returns chunks of a knowledge base the caller may not read", async () => {
    const store = await open();
    await store.add(
      await makeChunks(embedder, [
        { kbId: "A", docId: "a1", text: "holiday policy for staff" },
        { kbId: "B", docId: "b1", text: "holiday policy for staff secret" },
        { kbId: "it's", docId: "q1", text: "holiday policy quoted kb" },
      ]),
    );
    const v = await query("holiday policy secret");
    expect(ids(await store.searchText("holiday policy secret", { kbIds: ["A"], limit: 10 }))).toEqual(["a1:1:0"]);
    expect(ids(await store.searchVector(v, { kbIds: ["A"], limit: 10 }))).toEqual(["a1:1:0"]);
    expect(ids(await store.searchVector(v, { kbIds: ["it's"], limit: 10 }))).toEqual(["q1:1:0"]);
    // A kb id crafted as SQL stays a literal.
    expect(await store.searchText("holiday", { kbIds: ["x' OR '1'='1"], limit: 10 })).toEqual([]);
    expect(await store.searchText("holiday", { kbIds: [], limit: 10 })).toEqual([]);
    expect(await store.searchVector(v, { kbIds: [], limit: 10 })).toEqual([]);
    expect(await store.deleteKnowledgeBase("B")).toBe(1);
    expect(await store.count({ kbId: "B" })).toBe(0);
    expect(await store.count({ kbId: "A" })).toBe(1);
  });

  it("matches words that appear only in the title or heading path", async () => {
    const store = await open();
    await store.add(
      await makeChunks(embedder, [
        { kbId: "A", docId: "h", title: "Outage credits", headingPath: "Outage credits > Eligibility", text: "You qualify after four hours." },
        { kbId: "A", docId: "o", text: "Other text about shipping." },
      ]),
    );
    expect(ids(await store.searchText("eligibility credit", { kbIds: ["A"], limit: 5 }))).toEqual(["h:1:0"]);
    const [hit] = await store.searchText("outage", { kbIds: ["A"], limit: 5 });
    expect(hit).toMatchObject({ text: "You qualify after four hours.", headingPath: "Outage credits > Eligibility" });
  });

  it("keeps full-text search current across adds, deletes and index maintenance", async () => {
    const store = await open();
    await store.add(await makeChunks(embedder, [{ kbId: "A", docId: "d1", text: "alpha bravo" }]));
    await store.ensureIndexes();
    // Rows added after the index was built are still found, before and after optimize.
    await store.add(await makeChunks(embedder, [{ kbId: "A", docId: "d2", text: "charlie bravo" }]));
    expect(ids(await store.searchText("charlie", { kbIds: ["A"], limit: 5 }))).toEqual(["d2:1:0"]);
    await store.deleteDocument("d1");
    expect(ids(await store.searchText("bravo", { kbIds: ["A"], limit: 5 }))).toEqual(["d2:1:0"]);
    const stats = await store.ensureIndexes();
    expect(stats.rows).toBe(1);
    expect(stats.indexes.every((i) => i.unindexedRows === 0)).toBe(true);
    expect(stats.indexes.map((i) => i.type).sort()).toEqual(["BTree", "Bitmap", "FTS"].sort());
    expect(ids(await store.searchText("bravo charlie", { kbIds: ["A"], limit: 5 }))).toEqual(["d2:1:0"]);
  });

  it("maintains indexes in the background after enough writes, and close() waits for it", async () => {
    const uri = path.join(root, "background");
    const errors: unknown[] = [];
    const store = await openLanceVectorStore({ uri, embedderId: embedder.id, dimensions: 16, maintainEveryRows: 3, onMaintenanceError: (e) => errors.push(e) });
    await store.add(await makeChunks(embedder, [{ kbId: "A", docId: "d1", text: "one" }, { kbId: "A", docId: "d2", text: "two" }]));
    expect((await store.stats()).indexes.find((i) => i.type === "FTS")).toMatchObject({ unindexedRows: 2 });
    await store.add(await makeChunks(embedder, [{ kbId: "A", docId: "d3", text: "three" }]));
    await store.close();
    const reopened = await open({ uri });
    const stats = await reopened.stats();
    expect(stats.indexes.map((i) => [i.type, i.indexedRows, i.unindexedRows]).sort()).toEqual([
      ["BTree", 3, 0],
      ["Bitmap", 3, 0],
      ["FTS", 3, 0],
    ]);
    expect(errors).toEqual([]);
  });

  it("spaces background runs by half the table's rows, so a bulk load rereads it a few times, not once per batch", async () => {
    const uri = path.join(root, "spaced");
    const store = await openLanceVectorStore({ uri, embedderId: embedder.id, dimensions: 16, maintainEveryRows: 2 });
    const batch = (from: number, n: number) => makeChunks(embedder, Array.from({ length: n }, (_, i) => ({ kbId: "A", docId: `d${from + i}`, text: `row ${from + i}` })));
    await store.add(await batch(0, 10));
    await store.ensureIndexes(); // joins the run those 10 rows started
    await store.add(await batch(10, 4)); // 4 rows since: under half of 10
    expect((await store.stats()).indexes.find((i) => i.type === "FTS")).toMatchObject({ unindexedRows: 4 });
    await store.add(await batch(14, 1)); // 5 rows since: a run starts
    await store.close();
    const stats = await (await open({ uri })).stats();
    expect(stats.indexes.find((i) => i.type === "FTS")).toMatchObject({ indexedRows: 15, unindexedRows: 0 });
  });

  it("marks OCR chunks, and gives a table made before OCR existed its column", async () => {
    const uri = path.join(root, "before-ocr");
    const old = chunkSchema(embedder.dimensions);
    const connection = await lancedb.connect(uri);
    await connection.createEmptyTable(tableNameFor(embedder.id, embedder.dimensions), new Schema(old.fields.filter((f) => f.name !== "ocr")));
    connection.close();
    const store = await open({ uri });
    const [typed, scanned] = await makeChunks(embedder, [{ kbId: "A", docId: "typed", text: "claims office typed" }, { kbId: "A", docId: "scanned", text: "claims office scanned" }]);
    await store.add([typed!, { ...scanned!, ocr: true }]);
    const hits = await store.searchText("claims office", { kbIds: ["A"], limit: 5 });
    expect(Object.fromEntries(hits.map((h) => [h.docId, h.ocr ?? false]))).toEqual({ typed: false, scanned: true });
  });

  it("replaces a document's chunks in one step", async () => {
    const store = await open();
    const version = (v: number) =>
      makeChunks(
        embedder,
        [0, 1, 2].map((i) => ({ kbId: "A", docId: "doc", docVersion: v, chunkIndex: i, text: `shared words chunk ${i} version${v}` })),
      );
    await store.replaceDocument("doc", await version(1));
    await store.add(await makeChunks(embedder, [{ kbId: "A", docId: "other", text: "shared words elsewhere" }]));
    let stop = false;
    const seen: string[] = [];
    const reader = (async () => {
      while (!stop) {
        const hits = await store.searchText("shared words", { kbIds: ["A"], limit: 20 });
        const versions = hits.filter((h) => h.docId === "doc").map((h) => h.docVersion);
        seen.push(`${versions.length}x${[...new Set(versions)].join(",")}`);
      }
    })();
    for (let v = 2; v <= 6; v++) await store.replaceDocument("doc", await version(v));
    stop = true;
    await reader;
    // Every search saw exactly three chunks of one version: no mix, no gap.
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s).toMatch(/^3x\d$/);
    expect(await store.listDocumentIds()).toEqual([
      { docId: "doc", kbId: "A", versions: [6] },
      { docId: "other", kbId: "A", versions: [1] },
    ]);
    await expect(store.replaceDocument("doc", await makeChunks(embedder, [{ kbId: "A", docId: "x", text: "t" }]))).rejects.toThrow(
      /belongs to document x/,
    );
    await store.replaceDocument("doc", []);
    expect(await store.count()).toBe(1);
  });

  it.each([
    ["ivf_flat", "IvfFlat"],
    ["ivf_pq", "IvfPq"],
    ["hnsw_sq", "IvfHnswSq"],
  ] as const)("builds the %s vector index past the threshold and still finds exact matches", async (kind, type) => {
    const store = await open({ vectorIndexThreshold: 300, vectorIndex: kind });
    const specs = Array.from({ length: 320 }, (_, i) => ({ kbId: i % 2 ? "A" : "B", docId: `d${i}`, text: `item ${i} w${i % 37} x${i % 11}` }));
    const chunks = await makeChunks(embedder, specs);
    await store.add(chunks.slice(0, 200));
    expect((await store.ensureIndexes()).indexes.some((i) => i.name.startsWith("vector_"))).toBe(false);
    await store.add(chunks.slice(200));
    const stats = await store.ensureIndexes();
    expect(stats.indexes.find((i) => i.name.startsWith("vector_"))).toMatchObject({ type, indexedRows: 320, unindexedRows: 0 });
    const hits = await store.searchVector(chunks[7]!.vector, { kbIds: ["A"], limit: 40 });
    expect(hits[0]!.id).toBe("d7:1:0");
    expect(hits.every((h) => h.kbId === "A")).toBe(true);
    await expect(store.searchVector([1, 2, 3], { kbIds: ["A"], limit: 3 })).rejects.toThrow(/expects 16/);
  });

  it("retrains the IVF index once the table has grown about fourfold", async () => {
    const store = await open({ vectorIndexThreshold: 300 });
    const chunks = await makeChunks(
      embedder,
      Array.from({ length: 1300 }, (_, i) => ({ kbId: "A", docId: `d${i}`, text: `row ${i} w${i % 41} x${i % 13}` })),
    );
    await store.add(chunks.slice(0, 320));
    expect((await store.ensureIndexes()).indexes.map((i) => i.name)).toContain("vector_ivf_flat_p18");
    await store.add(chunks.slice(320, 1000));
    expect((await store.ensureIndexes()).indexes.map((i) => i.name)).toContain("vector_ivf_flat_p18");
    await store.add(chunks.slice(1000));
    const names = (await store.ensureIndexes()).indexes.map((i) => i.name);
    expect(names).toContain("vector_ivf_flat_p36");
    expect(names).not.toContain("vector_ivf_flat_p18");
    expect((await store.searchVector(chunks[1234]!.vector, { kbIds: ["A"], limit: 1 }))[0]!.id).toBe("d1234:1:0");
  });

  it("lets three processes create a missing table at the same moment (a fresh install's start)", async () => {
    // Before the creation race was retried, about one round in ten failed with "Incompatible
    // transaction ... Overwrite at version 2" or "Table ... was not found".
    for (let round = 0; round < 12; round++) {
      const uri = path.join(root, `race${round}`);
      const opened = await Promise.all([0, 1, 2].map(() => open({ uri })));
      await opened[0]!.add(await makeChunks(embedder, [{ kbId: "A", docId: "first", text: "kilo first row" }]));
      for (const store of opened) expect(ids(await store.searchText("kilo", { kbIds: ["A"], limit: 5 }))).toEqual(["first:1:0"]);
    }
  });

  it("lets two processes share one folder: writes retry and are seen at once", async () => {
    const uri = path.join(root, "shared");
    const worker = await open({ uri });
    const web = await open({ uri });
    const jobs = Array.from({ length: 8 }, async (_, i) => {
      const store = i % 2 ? worker : web;
      await store.replaceDocument(`d${i}`, await makeChunks(embedder, [{ kbId: "A", docId: `d${i}`, text: `concurrent ${i}` }]));
      await store.ensureIndexes({ force: true });
    });
    await Promise.all(jobs);
    expect(await web.count()).toBe(8);
    await worker.add(await makeChunks(embedder, [{ kbId: "A", docId: "late", text: "zulu arrives late" }]));
    expect(ids(await web.searchText("zulu", { kbIds: ["A"], limit: 5 }))).toEqual(["late:1:0"]);
  });

  it("shares one folder with another OS process writing at the same time", async () => {
    const uri = path.join(root, "multi-process");
    const here = await open({ uri });
    const child = promisify(execFile)(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "../../test/support/vector-writer.ts"), uri, "child", "12"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
    });
    for (let i = 0; i < 12; i++) {
      await here.replaceDocument(`parent${i}`, await makeChunks(embedder, [{ kbId: "A", docId: `parent${i}`, text: `written by parent ${i}` }]));
      if (i % 4 === 0) await here.ensureIndexes({ force: true });
    }
    await child;
    expect(await here.count()).toBe(24);
    const docs = (await here.listDocumentIds()).map((d) => d.docId);
    expect(docs.filter((d) => d.startsWith("child"))).toHaveLength(12);
    expect(ids(await here.searchText("child number 11", { kbIds: ["A"], limit: 1 }))).toEqual(["child11:1:0"]);
  });
});
