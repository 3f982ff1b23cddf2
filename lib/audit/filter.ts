/** The audit log's filter, read from a query string (page and export share it). */
import { z } from "zod";
import type { AuditFilter } from "@/db/queries/audit";

/** A date in a query string (empty: none); shared by the audit log's filters. */
export const dateParam = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: `"${v}" is not a date.` });
      return z.NEVER;
    }
    return d;
  });

/** A page's search parameters with repeated ones left out: what the filter schemas read. */
export function singleParams(sp: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(sp).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
}

export const auditQuerySchema = z.object({
  actor: z.string().trim().max(320).optional().transform((v) => v || undefined),
  action: z.string().trim().max(100).optional().transform((v) => v || undefined),
  from: dateParam,
  to: dateParam,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

export function toFilter(q: AuditQuery): AuditFilter {
  // A bare date as "to" means the whole of that day.
  const to = q.to && q.to.getUTCHours() === 0 && q.to.getUTCMinutes() === 0 ? new Date(q.to.getTime() + 86_399_999) : q.to;
  return { actor: q.actor, action: q.action, from: q.from, to };
}

const CSV_COLUMNS = ["id", "at", "actor_email", "action", "target", "details", "hash"] as const;

export function csvCell(value: string): string {
  // Quote everything, and defuse spreadsheet formulas in cells a user could influence.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(",") + "\r\n";
}

export function csvRow(e: { id: number; at: Date; actorEmail: string | null; action: string; target: string | null; details: unknown; hash: string }): string {
  return [String(e.id), e.at.toISOString(), e.actorEmail ?? "", e.action, e.target ?? "", JSON.stringify(e.details), e.hash].map(csvCell).join(",") + "\r\n";
}
