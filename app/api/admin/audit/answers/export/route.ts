import { z } from "zod";
import { getTurnRecord, streamTurnRecords } from "@/db/queries/turn-records";
import { toTurnFilter, turnCsvHeader, turnCsvRow, turnQuerySchema } from "@/lib/audit/turn-filter";
import { ADMIN_ROLES, requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError, describeZodError } from "@/lib/errors";
import { route } from "@/lib/http/route";

const exportSchema = turnQuerySchema.extend({ format: z.enum(["csv", "json"]).default("csv"), id: z.string().uuid().optional() });

/** Turn records as CSV or JSON: one (?id=) or every one the filter matches, oldest first, streamed. */
export const GET = route(async (request) => {
  await requireApiUser(ADMIN_ROLES);
  const parsed = exportSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new AppError("bad_request:answers", describeZodError(parsed.error));
  const db = await getDb();
  const { format, id } = parsed.data;
  let records: AsyncGenerator<Awaited<ReturnType<typeof getTurnRecord>> & object>;
  if (id) {
    const one = await getTurnRecord(db, { id });
    if (!one) throw new AppError("not_found:answer", "That answer's record does not exist.");
    records = (async function* () {
      yield one;
    })();
  } else records = streamTurnRecords(db, toTurnFilter(parsed.data));
  const encoder = new TextEncoder();
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(format === "csv" ? turnCsvHeader() : "["));
    },
    async pull(controller) {
      const next = await records.next();
      if (next.done) {
        if (format === "json") controller.enqueue(encoder.encode("]\n"));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(format === "csv" ? turnCsvRow(next.value) : `${first ? "" : ","}\n${JSON.stringify(next.value)}`));
      first = false;
    },
  });
  const name = id ? `vouch-answer-${id}` : `vouch-answers-${new Date().toISOString().slice(0, 10)}`;
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${name}.${format}"`,
    },
  });
});
