/**
 * Child process for the multi-process test: writes documents into the same
 * LanceDB folder as the test process, with index maintenance in between.
 * Usage: node --import tsx lib/vectorstore/test-writer.ts <uri> <prefix> <count>
 */
import { createHashingEmbedder } from "@/test/support/hashing-embedder";
import { openLanceVectorStore } from "../../lib/vectorstore/lancedb-store";
import { makeChunks } from "./chunks";

const [uri, prefix, count] = process.argv.slice(2);
if (!uri || !prefix || !count) throw new Error("usage: test-writer.ts <uri> <prefix> <count>");
const embedder = createHashingEmbedder({ dimensions: 16, id: "test-hash" });
const store = await openLanceVectorStore({ uri, embedderId: embedder.id, dimensions: 16, maintainEveryRows: 0 });
for (let i = 0; i < Number(count); i++) {
  const docId = `${prefix}${i}`;
  await store.replaceDocument(docId, await makeChunks(embedder, [{ kbId: "A", docId, text: `written by ${prefix} number ${i}` }]));
  if (i % 3 === 0) await store.ensureIndexes({ force: true });
}
await store.close();
