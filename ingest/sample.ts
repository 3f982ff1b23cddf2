/** The sample knowledge base shipped in the repo, loaded into demo installations. */
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "@/db/client";
import { createKnowledgeBase, getKnowledgeBase } from "@/db/queries/knowledge-bases";
import { SYSTEM_ACTOR } from "@/db/queries/users";
import { collectFiles } from "./collect";
import { acceptUploads, type UploadResult } from "./upload";

export const SAMPLE_KB_SLUG = "support-handbook";
export const SAMPLE_FILES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "sample-kb", "files");

export async function loadSampleKnowledgeBase(db: Database, { filesDir, maxBytes }: { filesDir: string; maxBytes: number }): Promise<UploadResult[]> {
  const kb =
    (await getKnowledgeBase(db, { slug: SAMPLE_KB_SLUG })) ??
    (await createKnowledgeBase(db, {
      slug: SAMPLE_KB_SLUG,
      name: "Support handbook",
      description: "Halyard Systems' customer-support handbook (a fictional company's sample knowledge base).",
      visibility: "all",
      readerIds: [],
      actor: SYSTEM_ACTOR,
    }));
  const results: UploadResult[] = [];
  for (const f of await collectFiles([SAMPLE_FILES_DIR])) {
    const bytes = new Uint8Array(await fs.readFile(f.path));
    results.push(...(await acceptUploads([{ fileName: f.name, bytes }], { db, filesDir, kbId: kb.id, maxBytes, actor: SYSTEM_ACTOR })));
  }
  return results;
}
