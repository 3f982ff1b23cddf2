import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestError } from "@/ingest/parse";
import { bytesOf, makeDocx, makeLargePdf, makePdf } from "@/ingest/parse/fixtures/make";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { createEmbedder, embedderConfigFromEnv } from "@/lib/embeddings/factory";
import type { Embedder } from "@/lib/embeddings/types";
import { parseEnv } from "@/lib/env";
import { writeTinyModel } from "@/test/support/tiny-transformer";
import { createPreparePool, type PreparePool } from "./pool";
import { prepareDocument, type Stage } from "./prepare";

const config = embedderConfigFromEnv(parseEnv({}));
let embedder: Embedder;
let pool: PreparePool;

beforeAll(async () => {
  await ensureDefaultEmbeddingModel(config.modelsDir);
  embedder = await createEmbedder(config);
  pool = createPreparePool({ size: 2, embedder: config, embedderId: embedder.id });
});
afterAll(() => pool.close());

describe("createPreparePool", () => {
  it("parses, chunks and embeds on worker threads exactly as prepareDocument does, with progress", async () => {
    const files = [
      { fileName: "h.pdf", bytes: await makePdf([["# Refunds", "Within 14 days."], ["# Shipping", "Worldwide."]], "Handbook") },
      { fileName: "d.docx", bytes: await makeDocx() },
      { fileName: "p.html", bytes: bytesOf("<html><body><nav>menu</nav><main><h1>Billing</h1><p>Invoices go out monthly to every customer.</p></main></body></html>") },
      { fileName: "n.md", bytes: bytesOf("# Title\n\nSome text."), chunkOptions: { targetTokens: 64 } },
    ];
    const stages: string[] = [];
    const pooled = await Promise.all(files.map((f) => pool.prepare(f, { onProgress: (stage: Stage, p) => stages.push(`${f.fileName} ${stage} ${p}`) })));
    const inline = await Promise.all(files.map((f) => prepareDocument(f, embedder)));
    expect(pooled).toEqual(inline);
    expect(pooled[0]!.chunks[0]!.vector).toBeInstanceOf(Float32Array);
    expect(pooled[0]!.chunks[0]!.vector.length).toBe(embedder.dimensions);
    expect(stages.filter((s) => s.startsWith("h.pdf"))).toEqual(["h.pdf parsing 0.5", "h.pdf parsing 1", "h.pdf chunking 0", "h.pdf embedding 0", "h.pdf embedding 1"]);
  });

  it("keeps the IngestError code and message across the thread boundary", async () => {
    const error = await pool.prepare({ fileName: "x.pdf", bytes: bytesOf("%PDF-1.4 not really") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ code: "corrupt_file", message: expect.stringContaining('"x.pdf" is a corrupt or unreadable PDF') });
    await expect(pool.prepare({ fileName: "empty.txt", bytes: new Uint8Array() })).rejects.toMatchObject({ code: "empty_file" });
  });

  it("leaves the caller's bytes intact (the thread gets a copy)", async () => {
    const bytes = bytesOf("# Kept\n\nThe caller still owns these bytes.");
    await pool.prepare({ fileName: "k.md", bytes });
    expect(new TextDecoder().decode(bytes)).toBe("# Kept\n\nThe caller still owns these bytes.");
  });

  it("aborts a preparation in progress and goes on serving", async () => {
    const bytes = await makeLargePdf(400);
    const controller = new AbortController();
    const reason = new Error("stop now");
    const preparing = pool.prepare({ fileName: "big.pdf", bytes }, { signal: controller.signal, onProgress: () => controller.abort(reason) });
    await expect(preparing).rejects.toBe(reason);
    await expect(pool.prepare({ fileName: "after.md", bytes: bytesOf("# After\n\nStill works.") })).resolves.toMatchObject({ type: "markdown", pages: 1 });
  });

  it("fails the waiting work, rather than starting threads forever, when a thread cannot load the model", async () => {
    const broken = createPreparePool({ size: 1, embedder: { ...config, embedder: "no-such-model" }, embedderId: "no-such-model" });
    await expect(broken.prepare({ fileName: "a.md", bytes: bytesOf("# A\n\nText.") })).rejects.toThrow("could not load the embedding model");
    await expect(broken.loaded()).rejects.toThrow("could not load the embedding model");
    await broken.close();
  });

  it("loads a transformer embedding model in its threads, with the same vectors as on this thread", async () => {
    const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-pool-tx-"));
    try {
      await writeTinyModel(modelsDir, "tiny-minilm");
      const txConfig = { embedder: "tiny-minilm", modelsDir, batchSize: 8 };
      const tx = await createEmbedder(txConfig);
      const txPool = createPreparePool({ size: 2, embedder: txConfig, embedderId: tx.id });
      const input = { fileName: "reset.md", bytes: bytesOf("# Reset\n\nreset password") };
      const [pooled, alsoPooled] = await Promise.all([txPool.prepare(input), txPool.prepare({ ...input, fileName: "again.md" })]);
      expect(pooled).toEqual(await prepareDocument(input, tx));
      expect(alsoPooled.chunks.map((c) => c.vector)).toEqual(pooled.chunks.map((c) => c.vector));
      await txPool.close();
    } finally {
      fs.rmSync(modelsDir, { recursive: true, force: true });
    }
  });

  it("says which model its threads loaded, and its size, so the caller need not load it too", async () => {
    const fresh = createPreparePool({ size: 1, embedder: config, embedderId: embedder.id });
    expect(await fresh.loaded()).toEqual({ embedderId: embedder.id, dimensions: embedder.dimensions });
    await fresh.close();
  });

  it("refuses work after close", async () => {
    const closing = createPreparePool({ size: 1, embedder: config, embedderId: embedder.id });
    await closing.close();
    await expect(closing.prepare({ fileName: "a.md", bytes: bytesOf("# A") })).rejects.toThrow("closed");
  });
});
