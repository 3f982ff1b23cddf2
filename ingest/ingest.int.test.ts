import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { getDocument, listDocuments } from "@/db/queries/documents";
import { createKnowledgeBase, listKnowledgeBasesWithCounts } from "@/db/queries/knowledge-bases";
import { ensureDefaultEmbeddingModel } from "@/lib/embeddings/build";
import { embedderConfigFromEnv } from "@/lib/embeddings/factory";
import { openEngines, type Engines } from "@/lib/engines/open";
import { parseEnv } from "@/lib/env";
import { deleteDocument, deleteKnowledgeBase, reconcile } from "@/lib/kb/service";
import { createLogger } from "@/lib/log";
import { chunkId } from "@/lib/vectorstore";
import { makeScannedPdf } from "./parse/fixtures/make";
import { acceptUploads } from "./upload";
import { hostKey } from "./worker-registry";
import { startIngestWorker } from "./worker";

let t: TestDatabase;
let engines: Engines;
let kbId: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-ingest-"));
const filesDir = path.join(dir, "files");
const env = parseEnv({ DATA_DIR: dir });
const actor = { id: null, email: "test" };
const log = createLogger({ level: "silent" });
const enc = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  t = await createTestDatabase();
  await ensureDefaultEmbeddingModel(env.modelsDir);
  engines = await openEngines(env);
  kbId = (await createKnowledgeBase(t.db, { slug: "kb", name: "KB", description: "", visibility: "all", readerIds: [], actor })).id;
});
afterAll(async () => {
  await engines.close();
  await t.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function runWorker(options: { threads?: number } = {}) {
  const threads = options.threads ? { size: options.threads, embedder: embedderConfigFromEnv(env) } : undefined;
  const worker = startIngestWorker({ db: t.db, sql: t.sql, store: engines.store, embedder: engines.embedder, filesDir, log, pollMs: 100, threads });
  await worker.idle();
  await worker.stop();
}

const upload = (items: { fileName: string; bytes: Uint8Array }[], maxBytes = 1024 * 1024) =>
  acceptUploads(items, { db: t.db, filesDir, kbId, maxBytes, actor });

describe("ingestion", () => {
  it("queues good files, rejects bad ones with a reason each, and processes the queue to searchable chunks", async () => {
    const zip = new JSZip();
    zip.file("guide/billing.md", "# Billing\n\nInvoices are sent on the first day of every month.\n");
    zip.file("../evil.md", "# Evil");
    const results = await upload([
      { fileName: "refunds.md", bytes: enc("# Refunds\n\nRefunds are issued within 14 days.\n\n## Gift cards\n\nGift cards are never refundable.\n") },
      { fileName: "shipping.html", bytes: enc("<html><body><nav>Menu</nav><main><h1>Shipping</h1><p>Orders ship in 5 business days worldwide.</p></main><script>steal()</script></body></html>") },
      { fileName: "empty.txt", bytes: new Uint8Array() },
      { fileName: "big.txt", bytes: new Uint8Array(2 * 1024 * 1024).fill(65) },
      { fileName: "ok\u0007.txt", bytes: enc("bell") },
      { fileName: "image.png", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) },
      { fileName: "bundle.zip", bytes: await zip.generateAsync({ type: "uint8array" }) },
    ]);
    expect(results.map((r) => [r.fileName, r.outcome])).toEqual([
      ["refunds.md", "queued"],
      ["shipping.html", "queued"],
      ["empty.txt", "rejected"],
      ["big.txt", "rejected"],
      ["ok\u0007.txt", "rejected"],
      ["image.png", "rejected"],
      ["bundle.zip/../evil.md", "rejected"],
      ["guide/billing.md", "queued"],
    ]);
    expect(results.find((r) => r.fileName === "big.txt")?.error).toMatch(/over the upload limit of 1 MB/);
    expect(results.find((r) => r.fileName === "empty.txt")?.error).toBe("empty file");
    // Refused by its bytes at upload, with nothing stored; a program renamed .pdf too.
    expect(results.find((r) => r.fileName === "image.png")?.error).toBe("an image, not a document Vouch can read: put it in a PDF to have its text read");
    const [renamed] = await upload([{ fileName: "invoice.pdf", bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]) }]);
    expect(renamed).toMatchObject({ outcome: "rejected", error: "a Windows program, not a document Vouch can read (it reads PDF, DOCX, HTML, Markdown, text and CSV)" });

    // Prepared on two threads; the first versions are appended in group commits.
    await runWorker({ threads: 2 });
    const docs = new Map((await listDocuments(t.db, { kbId })).map(({ doc }) => [doc.fileName, doc]));
    expect(docs.get("refunds.md")).toMatchObject({ status: "ready", chunkCount: 2, pages: 1, type: "markdown" });
    expect(docs.get("shipping.html")).toMatchObject({ status: "ready", type: "html" });
    expect(docs.has("image.png")).toBe(false);
    // The admin list counts every document of the base and the chunks of the ready ones.
    const readyChunks = [...docs.values()].filter((d) => d.status === "ready").reduce((n, d) => n + (d.chunkCount ?? 0), 0);
    expect(readyChunks).toBeGreaterThan(0);
    const listed = (await listKnowledgeBasesWithCounts(t.db)).find((row) => row.kb.id === kbId);
    expect(listed).toMatchObject({ documents: docs.size, chunks: readyChunks });

    const hits = await engines.store.searchText("gift cards refundable", { kbIds: [kbId], limit: 3 });
    expect(hits[0]).toMatchObject({ fileName: "refunds.md", headingPath: "Refunds > Gift cards" });
    const html = await engines.store.searchText("steal menu", { kbIds: [kbId], limit: 5 });
    expect(html.filter((h) => h.fileName === "shipping.html")).toEqual([]);
    expect(await engines.store.searchText("gift cards", { kbIds: ["00000000-0000-4000-8000-000000000000"], limit: 3 })).toEqual([]);
  });

  it("does no new work for the same bytes, and swaps in a new version of a file atomically", async () => {
    const again = await upload([{ fileName: "copy-of-refunds.md", bytes: enc("# Refunds\n\nRefunds are issued within 14 days.\n\n## Gift cards\n\nGift cards are never refundable.\n") }]);
    expect(again[0]?.outcome).toBe("duplicate");

    const v2 = await upload([{ fileName: "refunds.md", bytes: enc("# Refunds\n\nRefunds are now issued within 30 days.\n") }]);
    expect(v2[0]).toMatchObject({ outcome: "new-version", version: 2 });
    await runWorker();
    const doc = (await getDocument(t.db, { id: v2[0]!.documentId! }))!;
    expect(doc).toMatchObject({ status: "ready", version: 2, chunkCount: 1 });
    const stored = await engines.store.listDocumentIds({ kbId });
    expect(stored.find((s) => s.docId === doc.id)?.versions).toEqual([2]);
    const hits = await engines.store.searchText("refunds issued days", { kbIds: [kbId], limit: 5 });
    expect(hits.filter((h) => h.docId === doc.id).map((h) => h.id)).toEqual([chunkId(doc.id, 2, 0)]);
  });

  it("reads a scanned PDF with tesseract and finds a sentence in it, marked as OCR", async () => {
    const scan = await makeScannedPdf(["# Warranty claims", "", "Claims for water damage are handled by the", "regional office in Tallinn within nine days."]);
    const [result] = await upload([{ fileName: "warranty-scan.pdf", bytes: scan }]);
    await runWorker();
    const doc = (await getDocument(t.db, { id: result!.documentId! }))!;
    expect(doc).toMatchObject({ status: "ready", type: "pdf", pages: 1 });
    const hits = await engines.store.searchText("water damage regional office Tallinn", { kbIds: [kbId], limit: 3 });
    expect(hits[0]).toMatchObject({ docId: doc.id, pageStart: 1, ocr: true });
    expect(hits[0]!.text).toContain("regional office in Tallinn within nine days");
  });

  it("deletes a document's vectors and file, reconciles drift, and deletes a whole knowledge base", async () => {
    const deps = { db: t.db, store: engines.store, filesDir };
    const shipping = (await listDocuments(t.db, { kbId })).find(({ doc }) => doc.fileName === "shipping.html")!.doc;
    await deleteDocument(deps, { id: shipping.id, actor });
    expect(await engines.store.count({ kbId })).toBeGreaterThan(0);
    expect((await engines.store.listDocumentIds({ kbId })).some((s) => s.docId === shipping.id)).toBe(false);
    expect(fs.existsSync(path.join(filesDir, shipping.storagePath!))).toBe(false);

    // Drift: vectors whose document row is gone, and a ready document whose chunks are gone.
    const billing = (await listDocuments(t.db, { kbId })).find(({ doc }) => doc.fileName === "guide/billing.md")!.doc;
    await engines.store.add([{ id: "orphan-0", kbId, docId: "00000000-0000-4000-8000-0000000000ff", docVersion: 1, fileName: "gone.md", chunkIndex: 0, text: "orphan", headingPath: "", title: "", pageStart: null, pageEnd: null, charStart: 0, charEnd: 6, contentHash: "x", vector: new Float32Array(engines.embedder.dimensions).fill(0.1) }]);
    await engines.store.deleteDocument(billing.id);
    const report = await reconcile(deps, actor);
    expect(report).toMatchObject({ orphanedVectorDocs: 1, requeuedDocs: 1 });
    await runWorker();
    expect((await getDocument(t.db, { id: billing.id }))?.status).toBe("ready");
    expect((await engines.store.listDocumentIds({ kbId })).some((s) => s.docId === billing.id)).toBe(true);

    await deleteKnowledgeBase(deps, { id: kbId, actor });
    expect(await engines.store.count({ kbId })).toBe(0);
    expect(fs.existsSync(path.join(filesDir, kbId))).toBe(false);
    expect(await listDocuments(t.db, { kbId })).toEqual([]);
  });

  it("takes over at once the documents of a worker whose process is gone or that stopped beating, not of a live one", async () => {
    const kb = await createKnowledgeBase(t.db, { slug: "takeover", name: "Takeover", description: "", visibility: "all", readerIds: [], actor });
    const [killed, silent, busy] = await acceptUploads([
      { fileName: "held-by-killed.md", bytes: enc("# Killed\n\nThe holder of this one was killed.\n") },
      { fileName: "held-by-silent.md", bytes: enc("# Silent\n\nThe holder of this one, elsewhere, went quiet.\n") },
      { fileName: "held-by-busy.md", bytes: enc("# Busy\n\nThe holder of this one, elsewhere, is still working.\n") },
    ], { db: t.db, filesDir, kbId: kb.id, maxBytes: 1024 * 1024, actor });
    const gone = spawn("true");
    await new Promise((r) => gone.once("exit", r));
    // Three holders with two minutes of lease left: one of this machine whose pid is gone,
    // one elsewhere silent for a minute, one elsewhere that just beat.
    await t.sql`insert into ingest_workers (id, host_key, pid, heartbeat_at) values
      ('killed', ${hostKey()}, ${gone.pid!}, now()), ('silent', 'other-host', 1, now() - interval '1 minute'), ('busy', 'other-host', 1, now())`;
    for (const [doc, holder] of [[killed, "killed"], [silent, "silent"], [busy, "busy"]] as const) {
      await t.sql`update documents set status = 'embedding', worker_id = ${holder}, lease_expires_at = now() + interval '2 minutes' where id = ${doc!.documentId!}`;
    }
    const worker = startIngestWorker({ db: t.db, sql: t.sql, store: engines.store, embedder: engines.embedder, filesDir, log, pollMs: 100 });
    await worker.idle();
    await worker.stop();
    const status = async (id: string) => (await t.sql`select status from documents where id = ${id}`)[0]!.status as string;
    expect([await status(killed!.documentId!), await status(silent!.documentId!), await status(busy!.documentId!)]).toEqual(["ready", "ready", "embedding"]);
    // A worker that stopped cleanly left the registry.
    expect(await t.sql`select id from ingest_workers where id = ${worker.workerId}`).toHaveLength(0);
    await t.sql`update documents set status = 'failed', worker_id = null, lease_expires_at = null where id = ${busy!.documentId!}`;
  });

  it("retries a document after a passing fault with a growing wait, then fails it after the last attempt", async () => {
    const kb2 = (await createKnowledgeBase(t.db, { slug: "kb-retry", name: "Retry", description: "", visibility: "all", readerIds: [], actor })).id;
    const [flaky, doomed] = await acceptUploads(
      [
        { fileName: "flaky.md", bytes: enc("# Flaky\n\nThe store fails once for this one.\n") },
        { fileName: "doomed.md", bytes: enc("# Doomed\n\nThe store always fails for this one.\n") },
      ],
      { db: t.db, filesDir, kbId: kb2, maxBytes: 1024 * 1024, actor },
    );
    let flakyFailed = false;
    const failing = (ids: string[]) => {
      // First versions may share one commit, so flaky.md's one failure can come from doomed.md's.
      if (ids.includes(flaky!.documentId!) && !flakyFailed) return (flakyFailed = true);
      return ids.includes(doomed!.documentId!);
    };
    // A store that fails like a full disk would: for doomed.md always, for flaky.md once.
    const store = new Proxy(engines.store, {
      get(target, key, receiver) {
        if (key === "add") return async (rows: { docId: string }[]) => (failing(rows.map((r) => r.docId)) ? Promise.reject(new Error("disk full")) : target.add(rows as never));
        // A later attempt writes with the atomic swap instead of appending.
        if (key === "replaceDocument") return async (docId: string, rows: never) => (failing([docId]) ? Promise.reject(new Error("disk full")) : target.replaceDocument(docId, rows));
        return Reflect.get(target, key, receiver);
      },
    });
    const run = async () => {
      const worker = startIngestWorker({ db: t.db, sql: t.sql, store, embedder: engines.embedder, filesDir, log, pollMs: 50, retryBaseMs: 400, maxAttempts: 3, concurrency: 1 });
      await worker.idle();
      await worker.stop();
    };
    await run();
    const waiting = (await getDocument(t.db, { id: flaky!.documentId! }))!;
    expect(waiting).toMatchObject({ status: "queued", attempts: 1, error: "attempt 1 of 3 failed (disk full); retrying in 400 ms" });
    expect(waiting.retryAt!.getTime()).toBeGreaterThan(Date.now());
    // The wait doubles: 400 ms after the first failure, 800 ms after the second.
    for (let i = 0; i < 40 && (await getDocument(t.db, { id: doomed!.documentId! }))!.status !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await run();
    }
    expect(await getDocument(t.db, { id: flaky!.documentId! })).toMatchObject({ status: "ready", attempts: 2, error: null });
    expect(await getDocument(t.db, { id: doomed!.documentId! })).toMatchObject({ status: "failed", attempts: 3, error: "failed after 3 attempts: disk full" });
  });
});
