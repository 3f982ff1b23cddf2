import { streamAuditEvents } from "@/db/queries/audit";
import { csvHeader, csvRow, auditQuerySchema, toFilter } from "@/lib/audit/filter";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError, describeZodError } from "@/lib/errors";
import { route } from "@/lib/http/route";

/** The filtered audit log as CSV, oldest first, streamed. */
export const GET = route(async (request) => {
  await requireApiUser(ADMIN_ROLES);
  const parsed = auditQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("bad_request:audit", describeZodError(parsed.error));
  const db = await getDb();
  const encoder = new TextEncoder();
  const events = streamAuditEvents(db, toFilter(parsed.data));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvHeader()));
    },
    async pull(controller) {
      const next = await events.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(csvRow(next.value)));
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="vouch-audit-${stamp}.csv"` },
  });
});
