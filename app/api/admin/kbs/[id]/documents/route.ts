import { listDocuments } from "@/db/queries/documents";
import { acceptUploads, type UploadItem } from "@/ingest/upload";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { requireKnowledgeBase } from "@/lib/kb/admin";
import { idSchema } from "@/lib/kb/schemas";
import { documentView } from "@/lib/kb/views";

async function kbId(params: Promise<{ id: string }>) {
  const parsed = idSchema.safeParse((await params).id);
  if (!parsed.success) throw new AppError("not_found:kb", "That knowledge base does not exist.");
  return parsed.data;
}

/** The documents with their live status; the page polls this while work is in progress. */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  const id = await kbId(params);
  await requireApiUser(ADMIN_ROLES);
  await requireKnowledgeBase(id);
  const rows = await listDocuments(await getDb(), { kbId: id });
  return Response.json({ documents: rows.map(documentView) }, { headers: { "cache-control": "no-store" } });
});

/** multipart/form-data with one or more "file" parts; each part's filename may carry a folder path. */
export const POST = route<{ id: string }>(async (request, { params, log }) => {
  const id = await kbId(params);
  if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    throw new AppError("bad_request:upload", "Send the files as multipart/form-data in fields named \"file\".");
  }
  // Who is asking comes before the body: a stranger's upload is refused unread.
  const actor = await requireApiUser(ADMIN_ROLES);
  await requireKnowledgeBase(id);
  const form = await request.formData().catch(() => {
    throw new AppError("bad_request:upload", "The upload could not be read; try again.");
  });
  const files = form.getAll("file").filter((f): f is File => typeof f !== "string");
  if (files.length === 0) throw new AppError("bad_request:upload", "No files in the upload.");
  const env = getEnv();
  const items: UploadItem[] = await Promise.all(files.map(async (f) => ({ fileName: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  const results = await acceptUploads(items, { db: await getDb(), filesDir: env.filesDir, kbId: id, maxBytes: env.MAX_UPLOAD_MB * 1024 * 1024, actor });
  log.info({ event: "kb.upload", kbId: id, files: results.length }, "upload accepted");
  return Response.json({ results }, { status: 201 });
});
