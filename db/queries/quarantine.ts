/**
 * Passages quarantined for carrying instructions aimed at the assistant: kept on their
 * document by chunk id, each change audited in the same transaction.
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Database } from "../client";
import { documents, type PassageQuarantine } from "../schema";
import { insertAuditEvent } from "./audit";
import type { Actor } from "./users";

/** The quarantine state of each listed chunk that has one. */
export async function passageStates(db: Database, docIds: readonly string[]): Promise<Map<string, PassageQuarantine>> {
  const states = new Map<string, PassageQuarantine>();
  if (docIds.length === 0) return states;
  const rows = await db.select({ quarantine: documents.quarantine }).from(documents).where(and(inArray(documents.id, [...new Set(docIds)]), isNotNull(documents.quarantine)));
  for (const row of rows) for (const [chunkId, state] of Object.entries(row.quarantine ?? {})) states.set(chunkId, state);
  return states;
}

export interface FoundPassage {
  docId: string;
  chunkId: string;
  reason: string;
  text: string;
}

/** Quarantines passages not yet judged (a cleared one stays cleared); returns those newly quarantined. */
export async function quarantinePassages(db: Database, passages: readonly FoundPassage[], detectedBy: Actor): Promise<FoundPassage[]> {
  if (passages.length === 0) return [];
  return db.transaction(async (tx) => {
    const added: FoundPassage[] = [];
    for (const p of passages) {
      const state: PassageQuarantine = { status: "quarantined", reason: p.reason, text: p.text, at: new Date().toISOString() };
      const [doc] = await tx
        .update(documents)
        .set({ quarantine: sql`coalesce(${documents.quarantine}, '{}'::jsonb) || jsonb_build_object(${p.chunkId}::text, ${JSON.stringify(state)}::jsonb)` })
        .where(and(eq(documents.id, p.docId), sql`not (coalesce(${documents.quarantine}, '{}'::jsonb) ? ${p.chunkId}::text)`))
        .returning({ fileName: documents.fileName, kbId: documents.kbId });
      if (!doc) continue;
      added.push(p);
      await insertAuditEvent(tx, {
        actorId: detectedBy.id,
        actorEmail: detectedBy.email,
        action: "document.quarantine",
        target: p.docId,
        details: { chunkId: p.chunkId, fileName: doc.fileName, kbId: doc.kbId, reason: p.reason },
      });
    }
    return added;
  });
}

/** An admin's word that a quarantined passage is harmless: it is used again. False when there was nothing to clear. */
export async function clearPassage(db: Database, input: { docId: string; chunkId: string; actor: Actor }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const patch = { status: "cleared", by: input.actor.email ?? "system" };
    const [doc] = await tx
      .update(documents)
      .set({ quarantine: sql`jsonb_set(${documents.quarantine}, array[${input.chunkId}::text], (${documents.quarantine} -> ${input.chunkId}::text) || ${JSON.stringify(patch)}::jsonb)` })
      .where(and(eq(documents.id, input.docId), sql`${documents.quarantine} -> ${input.chunkId}::text ->> 'status' = 'quarantined'`))
      .returning({ fileName: documents.fileName });
    if (!doc) return false;
    await insertAuditEvent(tx, { actorId: input.actor.id, actorEmail: input.actor.email, action: "document.quarantine_clear", target: input.docId, details: { chunkId: input.chunkId, fileName: doc.fileName } });
    return true;
  });
}
