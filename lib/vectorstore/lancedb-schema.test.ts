import { describe, expect, it } from "vitest";
import { buildSearchText, fileNameWords, fromRow, sanitizeTextQuery, sqlIn, sqlString, tableNameFor, toRow } from "./lancedb-schema";
import { ivfPartitions, pqSubVectors, vectorIndexName, vectorIndexOutgrown } from "./lancedb-indexes";
import { isLocalUri } from "./lancedb-connection";
import type { StoredChunk } from "./types";

const chunk: StoredChunk = {
  id: "d:2:0",
  kbId: "kb",
  docId: "d",
  docVersion: 2,
  fileName: "guide.pdf",
  chunkIndex: 0,
  text: "Body text",
  headingPath: "Billing > Refunds",
  title: "Support guide",
  pageStart: 3,
  pageEnd: 4,
  charStart: 10,
  charEnd: 19,
  contentHash: "abc",
  vector: new Float32Array([0.6, 0.8]),
};

describe("chunk table layout", () => {
  it("names tables by embedder and dimension", () => {
    expect(tableNameFor("wink-sif-100d", 100)).toBe("chunks__wink_sif_100d__100");
    expect(tableNameFor("Xenova/all-MiniLM-L6-v2", 384)).toBe("chunks__xenova_all_minilm_l6_v2__384");
    expect(() => tableNameFor("---", 100)).toThrow(/no usable characters/);
    expect(() => tableNameFor("m", 0)).toThrow(/dimensions/);
  });

  it("puts file name words, title and heading path ahead of the text for BM25, without repeating the title", () => {
    expect(buildSearchText(chunk)).toBe("guide\nSupport guide\nBilling > Refunds\nBody text");
    expect(buildSearchText({ fileName: "", title: "Billing", headingPath: "Billing > Refunds", text: "t" })).toBe("Billing > Refunds\nt");
    expect(buildSearchText({ fileName: "", title: "", headingPath: "", text: "t" })).toBe("t");
    expect(buildSearchText({ fileName: "vhosts/name-based.html", title: "", headingPath: "", text: "t" })).toBe("vhosts name based\nt");
  });

  it("turns a file name into its words", () => {
    expect(fileNameWords("docs/Refunds_and-Returns (v2).pdf")).toBe("docs Refunds and Returns v2");
    expect(fileNameWords("mod/mod_ssl.html")).toBe("mod mod ssl");
    expect(fileNameWords("README")).toBe("README");
    expect(fileNameWords("")).toBe("");
  });

  it("round-trips a chunk through a row", () => {
    const row = toRow(chunk, 2);
    expect(row).toMatchObject({ kb_id: "kb", doc_version: 2, page_start: 3, heading_path: "Billing > Refunds" });
    expect(row.vector).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    const { vector: _v, ...rest } = chunk;
    expect(fromRow({ ...row, doc_version: 2n }, 0.5, 1)).toEqual({ ...rest, score: 0.5, rank: 1 });
    expect(fromRow({ ...row, page_start: null, page_end: null }, 1, 2)).toMatchObject({ pageStart: null, pageEnd: null });
    expect(() => toRow(chunk, 3)).toThrow(/vector has 2 dimensions, table expects 3/);
  });

  it("tells folders from object storage and Cloud URIs", () => {
    expect(["./data/lancedb", "/var/vouch/lancedb", "C:\\data\\lancedb", "file:///srv/l"].map(isLocalUri)).toEqual([true, true, true, true]);
    expect(["s3://bucket/lancedb", "gs://b/p", "az://c/p", "db://vouch"].map(isLocalUri)).toEqual([false, false, false, false]);
  });

  it("quotes SQL literals", () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlIn("kb_id", ["a", "b'", "a"])).toBe("kb_id IN ('a', 'b''')");
    expect(() => sqlIn("kb_id", [])).toThrow();
  });

  it("keeps only words in text queries", () => {
    expect(sanitizeTextQuery('  refund: "annual" (plans) OR x:y  ')).toBe("refund annual plans OR x y");
    expect(sanitizeTextQuery("?!")).toBe("");
    expect(sanitizeTextQuery("Überweisung für Kunden")).toBe("Überweisung für Kunden");
  });

  it("picks PQ sub-vectors and IVF partitions that suit the dimension and size", () => {
    expect(pqSubVectors(384)).toBe(24);
    expect(pqSubVectors(100)).toBe(25);
    expect(pqSubVectors(7)).toBe(1);
    expect(ivfPartitions(100_000)).toBe(316);
    expect(ivfPartitions(0)).toBe(1);
  });

  it("names the vector index by its training size and retrains after ~4x growth", () => {
    expect(vectorIndexName("ivf_flat", 5_000)).toBe("vector_ivf_flat_p71");
    expect(vectorIndexName("hnsw_sq", 5_000)).toBe("vector_hnsw_sq");
    expect(vectorIndexOutgrown("vector_ivf_flat_p71", 19_000)).toBe(false); // 138 partitions
    expect(vectorIndexOutgrown("vector_ivf_flat_p71", 20_200)).toBe(true); // 142 partitions
    expect(vectorIndexOutgrown("vector_hnsw_sq", 1_000_000)).toBe(false);
  });
});
