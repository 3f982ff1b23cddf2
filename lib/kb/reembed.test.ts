import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLanceVectorStore, type LanceVectorStore } from "@/lib/vectorstore";
import { makeChunks } from "@/test/support/chunks";
import { createHashingEmbedder } from "@/test/support/hashing-embedder";
import { reembedAll, type ReembedProgress } from "./reembed";

const oldModel = createHashingEmbedder({ dimensions: 8, id: "old-model" });
const newModel = createHashingEmbedder({ dimensions: 24, id: "new-model" });
let root: string;
const opened: LanceVectorStore[] = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-reembed-"));
});
afterAll(async () => {
  for (const s of opened) await s.close();
  fs.rmSync(root, { recursive: true, force: true });
});

let n = 0;
async function tables() {
  const uri = path.join(root, `db${n++}`);
  const from = await openLanceVectorStore({ uri, embedderId: oldModel.id, dimensions: oldModel.dimensions, maintainEveryRows: 0 });
  const to = await openLanceVectorStore({ uri, embedderId: newModel.id, dimensions: newModel.dimensions, maintainEveryRows: 0 });
  opened.push(from, to);
  await from.add(
    await makeChunks(oldModel, [
      { kbId: "kb", docId: "refunds", text: "Refunds take five business days.", headingPath: "Billing > Refunds" },
      { kbId: "kb", docId: "refunds", chunkIndex: 1, text: "Card refunds show within ten days.", headingPath: "Billing > Refunds" },
      { kbId: "kb", docId: "wifi", text: "The gateway joins 2.4 GHz networks only.", headingPath: "Gateway" },
      { kbId: "kb", docId: "wifi", docVersion: 2, text: "The gateway joins 2.4 and 5 GHz networks.", headingPath: "Gateway" },
    ]),
  );
  return { from, to };
}

describe("re-embedding the knowledge bases with another model", () => {
  it("copies each document's current chunks into the new model's table with new vectors, leaving the old table as it was", async () => {
    const { from, to } = await tables();
    const seen: ReembedProgress[] = [];
    const documents = async () => [{ id: "refunds", version: 1 }, { id: "wifi", version: 2 }];
    const result = await reembedAll({ documents, from, to, embedder: newModel, onProgress: (p) => seen.push(p) });

    expect(result).toEqual({ documents: 2, total: 2, chunks: 3, missing: 0 });
    expect(seen.map((p) => p.documents)).toEqual([0, 1, 2, 2]);
    expect(to.tableName).toBe("chunks__new_model__24");
    expect(await to.listDocumentIds()).toEqual([{ docId: "refunds", kbId: "kb", versions: [1] }, { docId: "wifi", kbId: "kb", versions: [2] }]);
    expect(await from.count()).toBe(4);
    const [query] = await newModel.embed(["Gateway\nThe gateway joins 2.4 and 5 GHz networks."], { kind: "query" });
    const hits = await to.searchVector(query!, { kbIds: ["kb"], limit: 1 });
    expect(hits[0]).toMatchObject({ id: "wifi:2:0", headingPath: "Gateway", score: expect.closeTo(1, 5) });
    expect((await to.searchText("card refunds", { kbIds: ["kb"], limit: 1 }))[0]?.id).toBe("refunds:1:1");
  });

  it("resumes: documents already in the new table are not embedded again", async () => {
    const { from, to } = await tables();
    const documents = async () => [{ id: "refunds", version: 1 }, { id: "wifi", version: 2 }];
    const aborted = new AbortController();
    const first = reembedAll({ documents, from, to, embedder: newModel, onProgress: (p) => p.documents === 1 && aborted.abort(), signal: aborted.signal });
    await expect(first).rejects.toThrow();
    expect((await to.listDocumentIds()).map((d) => d.docId)).toEqual(["refunds"]);

    let embedded = 0;
    const counting = { ...newModel, embed: (texts: string[], o: { kind: "query" | "passage" }) => ((embedded += texts.length), newModel.embed(texts, o)) };
    expect(await reembedAll({ documents, from, to, embedder: counting })).toMatchObject({ documents: 2, total: 2, chunks: 1 });
    expect(embedded).toBe(1);
  });

  it("catches up with documents added or deleted while it ran, and counts those the old table lacks", async () => {
    const { from, to } = await tables();
    let docs = [{ id: "refunds", version: 1 }];
    await to.add(await makeChunks(newModel, [{ kbId: "kb", docId: "deleted-meanwhile", text: "Old text." }]));
    const onProgress = (p: ReembedProgress) => {
      if (p.documents === 1) docs = [{ id: "refunds", version: 1 }, { id: "wifi", version: 2 }, { id: "never-stored", version: 1 }];
    };
    const result = await reembedAll({ documents: async () => docs, from, to, embedder: newModel, onProgress });
    expect(result).toMatchObject({ documents: 3, total: 3, missing: 1 });
    expect((await to.listDocumentIds()).map((d) => d.docId)).toEqual(["refunds", "wifi"]);
  });
});
