import path from "node:path";
import { ALL_ROLES, requireApiUser } from "@/lib/auth/session";
import { route, uuidParam } from "@/lib/http/route";
import { documentNotFound, openForReading } from "@/lib/kb/reader";

const TYPES: Record<string, string> = { pdf: "application/pdf", html: "text/plain; charset=utf-8", markdown: "text/plain; charset=utf-8", text: "text/plain; charset=utf-8", csv: "text/plain; charset=utf-8", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" };

/** The original uploaded file, for readers of its knowledge base (HTML is served as text, never rendered). */
export const GET = route<{ id: string }>(async (_request, { params }) => {
  const user = await requireApiUser(ALL_ROLES);
  const id = await uuidParam(params, documentNotFound);
  const doc = await openForReading(user, id);
  const inline = doc.type === "pdf" || doc.type === "markdown" || doc.type === "text" || doc.type === "html" || doc.type === "csv";
  const name = path.basename(doc.fileName).replace(/[^\w.-]+/g, "_");
  return new Response(Buffer.from(doc.bytes), {
    headers: {
      "content-type": TYPES[doc.type ?? ""] ?? "application/octet-stream",
      "content-disposition": `${inline ? "inline" : "attachment"}; filename="${name}"`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox",
    },
  });
});
