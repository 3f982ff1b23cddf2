import { z } from "zod";
import { getDocument } from "@/db/queries/documents";
import { clearPassage } from "@/db/queries/quarantine";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseJson, route } from "@/lib/http/route";
import { idSchema } from "@/lib/kb/schemas";

const bodySchema = z.strictObject({ chunkId: z.string().min(1).max(200) });

/** An admin clears a quarantined passage as harmless: it is given to the model again (audited). */
export const DELETE = route<{ id: string; docId: string }>(async (request, { params, log }) => {
  const actor = await requireApiUser(ADMIN_ROLES);
  const { id, docId } = await params;
  if (!idSchema.safeParse(id).success || !idSchema.safeParse(docId).success) throw new AppError("not_found:document", "That document does not exist.");
  const { chunkId } = await parseJson(request, bodySchema);
  const db = await getDb();
  const doc = await getDocument(db, { id: docId });
  if (!doc || doc.kbId !== id) throw new AppError("not_found:document", "That document does not exist.");
  if (!(await clearPassage(db, { docId, chunkId, actor }))) throw new AppError("conflict:document", "That passage is not quarantined.");
  log.info({ event: "document.quarantine_clear", docId, chunkId }, "quarantined passage cleared");
  return new Response(null, { status: 204 });
});
