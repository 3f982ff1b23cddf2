import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { z } from "zod";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { listKnowledgeBasesWithCounts } from "@/db/queries/knowledge-bases";
import { listReviewItems } from "@/db/queries/review";
import { getReviewMetrics } from "@/db/queries/review-metrics";
import { REVIEW_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { FlagRateChart } from "./flag-rate-chart";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import { topicLabeller } from "@/lib/review/topic-label";
import { QueueKeys } from "./queue-keys";
import { isSelfReviewAllowed } from "@/db/queries/settings";
import { maskPiiIn } from "@/lib/review/pii";

export const metadata: Metadata = { title: "Review queue" };

const filterSchema = z.object({
  status: z.enum(["pending", "approved", "edited", "rejected", "all"]).catch("pending"),
  topic: z.string().max(100).optional().catch(undefined),
  kb: z.string().uuid().optional().catch(undefined),
  age: z.coerce.number().int().min(0).max(100_000).optional().catch(undefined),
});

function ago(date: Date): string {
  const minutes = Math.round((Date.now() - date.getTime()) / 60_000);
  return minutes < 60 ? `${minutes} min` : minutes < 1440 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} d`;
}

export default async function ReviewQueuePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await connection();
  const me = await requirePageUser(REVIEW_ROLES);
  const f = filterSchema.parse(await searchParams);
  const db = await getDb();
  const [rows, metrics, kbs, { policy }, selfReview] = await Promise.all([
    listReviewItems(db, { status: f.status === "all" ? undefined : [f.status], topic: f.topic || undefined, kbId: f.kb, olderThanMinutes: f.age || undefined }),
    getReviewMetrics(db),
    listKnowledgeBasesWithCounts(db),
    getCurrentRoutingPolicy(db),
    isSelfReviewAllowed(db),
  ]);
  const label = topicLabeller(policy.topics);
  const topics = [...new Set(metrics.flagRate.map((r) => r.topic))].sort();
  const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  const fmt = (m: number | null) => (m == null ? "—" : m < 60 ? `${m.toFixed(1)} min` : `${(m / 60).toFixed(1)} h`);
  return (
    <main className="space-y-6">
      <AutoRefresh everyMs={5000} />
      <QueueKeys ids={rows.filter((r) => r.item.status === "pending").map((r) => r.item.id)} />
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Review queue</h1>
        <p className="text-sm text-slate-500">Keys: <kbd className="rounded border px-1">j</kbd> next item</p>
      </div>
      <section aria-label="Metrics" className="grid gap-4 sm:grid-cols-4">
        {[
          ["Pending", String(metrics.pending)],
          ["Decided", String(metrics.decided)],
          ["Median time to decision", fmt(metrics.medianMinutes)],
          ["p90 time to decision", fmt(metrics.p90Minutes)],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-4">
            <p className="text-xs uppercase tracking-wide text-slate-500">{label}</p>
            <p className="mt-1 text-2xl font-semibold" data-testid={`metric-${label}`}>{value}</p>
          </div>
        ))}
      </section>
      <FlagRateChart rows={metrics.flagRate.map((r) => ({ ...r, topic: label(r.topic) }))} />
      <form method="get" aria-label="Filter review items" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-5 sm:items-end">
        <label className="text-sm">Status
          <select name="status" defaultValue={f.status} className={field}>
            {["pending", "approved", "edited", "rejected", "all"].map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label className="text-sm">Topic
          <select name="topic" defaultValue={f.topic ?? ""} className={field}>
            <option value="">any</option>
            {topics.map((t) => <option key={t} value={t}>{label(t)}</option>)}
          </select>
        </label>
        <label className="text-sm">Knowledge base
          <select name="kb" defaultValue={f.kb ?? ""} className={field}>
            <option value="">any</option>
            {kbs.map(({ kb }) => <option key={kb.id} value={kb.id}>{kb.name}</option>)}
          </select>
        </label>
        <label className="text-sm">Older than (minutes)<input name="age" type="number" min={0} defaultValue={f.age} className={field} /></label>
        <button className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">Filter</button>
      </form>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Review items, most serious first, then oldest">
        {rows.map(({ item, agentName }) => {
          const held = item.claimedBy && item.claimExpiresAt && item.claimExpiresAt > new Date() && item.status === "pending";
          return (
            <li key={item.id} data-testid="review-row">
              <Link href={`/review/${item.id}`} className="flex items-start justify-between gap-4 px-4 py-3 hover:bg-slate-50">
                <div className="min-w-0">
                  <p className="truncate font-medium">{maskPiiIn(item.question)}</p>
                  <p className="mt-0.5 text-xs text-slate-500">
                    {agentName ?? "agent"} · {ago(item.createdAt)} ago{item.topic ? ` · ${label(item.topic)}` : ""}
                    {held ? ` · ${item.claimedBy === me.id ? "claimed by you" : "claimed by another reviewer"}` : ""}
                    {item.agentId === me.id && item.status === "pending" && !selfReview ? " · your own question: another reviewer decides" : ""}
                  </p>
                </div>
                <span className="shrink-0 rounded-full bg-slate-100 px-2 py-0.5 text-xs">{item.status}</span>
              </Link>
            </li>
          );
        })}
        {rows.length === 0 && <li className="px-4 py-6 text-center text-slate-500">Nothing matches these filters.</li>}
      </ul>
    </main>
  );
}
