/** The viewer's query: which answer's source n to shade (both or neither), and which PDF page. */
import { z } from "zod";

export const viewQuery = z.object({
  m: z.string().uuid().optional(),
  n: z.coerce.number().int().min(1).max(100).optional(),
  p: z.coerce.number().int().min(1).max(100_000).optional(),
  anchor: z.string().max(200).optional(),
});

export type ViewQuery = z.infer<typeof viewQuery>;

/** Parsed from URL search parameters; anything malformed is ignored rather than refused (it only chooses what to shade). */
export function readViewQuery(params: URLSearchParams | Record<string, string | string[] | undefined>): ViewQuery {
  const entries = params instanceof URLSearchParams ? Object.fromEntries(params) : Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = viewQuery.safeParse(entries);
  return parsed.success ? parsed.data : {};
}

export const passageAt = (q: ViewQuery) => (q.m && q.n ? { messageId: q.m, n: q.n } : undefined);

/** The same passage (and page) as query parameters. */
export function viewParams(q: ViewQuery): string {
  const params = new URLSearchParams();
  if (q.m && q.n) {
    params.set("m", q.m);
    params.set("n", String(q.n));
  }
  if (q.p) params.set("p", String(q.p));
  const s = params.toString();
  return s ? `?${s}` : "";
}
