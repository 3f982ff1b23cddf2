import "server-only";
/** Knowledge-base administration for the web server: queries plus vectors and files. */
import { createKnowledgeBase, getKnowledgeBase, SlugTakenError, updateKnowledgeBase } from "@/db/queries/knowledge-bases";
import { getDb } from "@/lib/db";
import { getEngines } from "@/lib/engines/server";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { z } from "zod";
import type { createKbSchema, updateKbSchema } from "./schemas";
import { slugify } from "./schemas";
import { deleteDocument, deleteKnowledgeBase, type KbDeps } from "./service";

type Actor = { id: string; email: string };

export async function kbDeps(): Promise<KbDeps> {
  return { db: await getDb(), store: (await getEngines()).store, filesDir: getEnv().filesDir };
}

export async function requireKnowledgeBase(id: string) {
  const kb = await getKnowledgeBase(await getDb(), { id });
  if (!kb) throw new AppError("not_found:kb", "That knowledge base does not exist.");
  return kb;
}

export async function adminCreateKb(actor: Actor, input: z.infer<typeof createKbSchema>) {
  try {
    return await createKnowledgeBase(await getDb(), { ...input, slug: input.slug ?? slugify(input.name), actor });
  } catch (error) {
    if (error instanceof SlugTakenError) throw new AppError("conflict:kb", error.message);
    throw error;
  }
}

export async function adminUpdateKb(actor: Actor, id: string, input: z.infer<typeof updateKbSchema>) {
  const kb = await updateKnowledgeBase(await getDb(), { id, ...input, actor });
  if (!kb) throw new AppError("not_found:kb", "That knowledge base does not exist.");
  return kb;
}

export async function adminDeleteKb(actor: Actor, id: string) {
  const kb = await deleteKnowledgeBase(await kbDeps(), { id, actor });
  if (!kb) throw new AppError("not_found:kb", "That knowledge base does not exist.");
  return kb;
}

export async function adminDeleteDocument(actor: Actor, kbId: string, docId: string) {
  const deps = await kbDeps();
  const doc = await deleteDocument(deps, { id: docId, actor });
  if (!doc || doc.kbId !== kbId) throw new AppError("not_found:document", "That document does not exist.");
  return doc;
}
