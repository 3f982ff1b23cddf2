import { listDocuments } from "@/db/queries/documents";
import path from "node:path";
import { acceptUploads, type UploadItem, type UploadResult } from "@/ingest/upload";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { receiveFiles } from "@/lib/http/multipart";
import { route, uuidParam } from "@/lib/http/route";
import { requireKnowledgeBase } from "@/lib/kb/admin";
import { documentView } from "@/lib/kb/views";

const kbId = (params: Promise<{ id: string }>) => uuidParam(params, () => new AppError("not_found:kb", "That knowledge base does not exist."));

/** The documents with their live status; the page polls this while work is in progress. */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  const id = await kbId(params);
  await requireApiUser(ADMIN_ROLES);
  await requireKnowledgeBase(id);
  const rows = await listDocuments(await getDb(), { kbId: id });
  return Response.json({ documents: rows.map(documentView) }, { headers: { "cache-control": "no-store" } });
});

/** Files per request; the page sends one at a time. */
const MAX_FILES = 1000;

/**
 * multipart/form-data with one or more "file" parts; each part's filename may carry a folder path.
 * Files are streamed to disk as they arrive, so the server's memory does not grow with the upload.
 */
export const POST = route<{ id: string }>(async (request, { params, log }) => {
  const id = await kbId(params);
  if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    throw new AppError("bad_request:upload", "Send the files as multipart/form-data in fields named \"file\".");
  }
  // Who is asking comes before the body: a stranger's upload is refused unread.
  const actor = await requireApiUser(ADMIN_ROLES);
  await requireKnowledgeBase(id);
  const env = getEnv();
  const maxBytes = env.MAX_UPLOAD_MB * 1024 * 1024;
  const upload = await receiveFiles(request, { field: "file", maxFileBytes: maxBytes, maxFiles: MAX_FILES, tmpDir: path.join(env.dataDir, "tmp", "uploads") });
  let results: UploadResult[];
  try {
    if (upload.files.length + upload.oversize.length === 0) throw new AppError("bad_request:upload", "No files in the upload.");
    const items: UploadItem[] = upload.files.map((f) => ({ fileName: f.fileName, path: f.path }));
    const accepted = await acceptUploads(items, { db: await getDb(), filesDir: env.filesDir, kbId: id, maxBytes, actor });
    const tooLarge = upload.oversize.map((fileName): UploadResult => ({ fileName, outcome: "rejected", error: `file is over the upload limit of ${env.MAX_UPLOAD_MB} MB` }));
    results = [...accepted, ...tooLarge];
  } finally {
    await upload.discard();
  }
  log.info({ event: "kb.upload", kbId: id, files: results.length }, "upload accepted");
  return Response.json({ results }, { status: 201 });
});
