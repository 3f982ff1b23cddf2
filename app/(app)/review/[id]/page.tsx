import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { z } from "zod";
import { listMessages } from "@/db/queries/conversations";
import { getReviewItem, listReviewItems, OWN_QUESTION } from "@/db/queries/review";
import { isSelfReviewAllowed } from "@/db/queries/settings";
import { getUserById } from "@/db/queries/users";
import { messages as messagesTable } from "@/db/schema";
import { REVIEW_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import type { SourceSnapshot } from "@/lib/rag/sources";
import { claimsCiting } from "@/lib/chat/highlight";
import { renderPassage } from "@/lib/chat/markdown";
import { eq } from "drizzle-orm";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import { topicLabel } from "@/lib/review/topic-label";
import { ReviewActions } from "./review-actions";

export const metadata: Metadata = { title: "Review item" };

interface Reason {
  kind?: string;
  reason?: string;
  score?: number;
  action?: string;
}

export default async function ReviewItemPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const me = await requirePageUser(REVIEW_ROLES);
  const { id } = await params;
  if (!z.string().uuid().safeParse(id).success) notFound();
  const db = await getDb();
  const item = await getReviewItem(db, { id });
  if (!item) notFound();
  // A review outlives its message (a regenerated answer, a purge): then it shows without sources or context.
  const [message] = item.messageId ? await db.select().from(messagesTable).where(eq(messagesTable.id, item.messageId)) : [];
  const context = message ? (await listMessages(db, { conversationId: message.conversationId })).filter((m) => m.createdAt < message.createdAt).slice(-7, -1) : [];
  const [agent, holder, decider, pending, selfReview] = await Promise.all([
    getUserById(db, { id: item.agentId }),
    item.claimedBy ? getUserById(db, { id: item.claimedBy }) : undefined,
    item.decidedBy ? getUserById(db, { id: item.decidedBy }) : undefined,
    listReviewItems(db, { status: ["pending"] }),
    isSelfReviewAllowed(db),
  ]);
  const sources = (message?.sources ?? []) as SourceSnapshot[];
  const reasons = item.reasons as Reason[];
  const lockActive = !!(item.claimedBy && item.claimExpiresAt && item.claimExpiresAt > new Date());
  return (
    <main className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500"><Link href="/review" className="hover:underline">Review queue</Link> › item</nav>
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="space-y-4">
          <section className="rounded-lg border border-slate-200 bg-white p-4">
            <p className="text-xs uppercase tracking-wide text-slate-500">Question from {agent?.name ?? "an agent"} · {item.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</p>
            <h1 className="mt-1 text-xl font-semibold" data-testid="review-question">{item.question}</h1>
            {context.length > 0 && (
              <details className="mt-3 text-sm">
                <summary className="cursor-pointer text-slate-600">Conversation before this question ({context.length} messages)</summary>
                <ol className="mt-2 space-y-1">
                  {context.map((m) => <li key={m.id} className="rounded bg-slate-50 px-2 py-1"><span className="font-medium">{m.role === "user" ? "Agent" : "Assistant"}:</span> {m.content || `(${m.status})`}</li>)}
                </ol>
              </details>
            )}
          </section>
          <ReviewActions
            item={{ id: item.id, status: item.status, draft: item.draft, finalText: item.finalText, note: item.note, diff: item.diff }}
            me={me.id}
            lock={{ holderId: lockActive ? item.claimedBy : null, holderName: holder?.name ?? null, until: item.claimExpiresAt?.toISOString() ?? null }}
            decidedBy={decider?.name ?? null}
            pendingIds={pending.filter((p) => selfReview || p.item.agentId !== me.id).map((p) => p.item.id)}
            ownQuestion={item.agentId === me.id && !selfReview ? OWN_QUESTION : null}
          />
          <section aria-label="Sources" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="mb-2 font-semibold">Sources given to the model</h2>
            <ol className="space-y-2 text-sm">
              {sources.map((s) => (
                <li key={s.n} className="rounded-md border border-slate-200 p-2">
                  <p className="font-medium">[{s.n}] {s.fileName}{s.headingPath ? ` › ${s.headingPath}` : ""}{s.pageStart ? ` · page ${s.pageStart}` : ""}{s.ocr ? " · read by OCR from a scan" : ""}</p>
                  <div className="prose-answer passage mt-1 text-slate-700" data-testid="review-source-passage"
                    dangerouslySetInnerHTML={{ __html: renderPassage(s.text, { question: item.question, claims: claimsCiting(item.draft, s.n) }) }} />
                  <a href={`/documents/${s.docId}${item.messageId ? `?m=${item.messageId}&n=${s.n}` : ""}#vouch-passage`} target="_blank" rel="noopener" className="mt-1 inline-block text-xs font-medium text-indigo-700 hover:underline">Open the original ↗</a>
                </li>
              ))}
              {sources.length === 0 && <li className="text-slate-500">No sources.</li>}
            </ol>
          </section>
        </div>
        <aside aria-label="Why this was held" className="h-fit rounded-lg border border-amber-200 bg-amber-50 p-4">
          <h2 className="font-semibold text-amber-900">Why this was held</h2>
          {item.topic && <p className="mt-1 text-sm">Topic: <span className="font-medium">{topicLabel(item.topic, (await getCurrentRoutingPolicy(db)).policy.topics)}</span></p>}
          <ul className="mt-2 space-y-2 text-sm" data-testid="risk-reasons">
            {reasons.map((r, i) => (
              <li key={i} className="rounded bg-white/70 p-2">
                <span className="mr-1 rounded bg-amber-200 px-1 text-xs font-medium uppercase">{r.kind ?? "signal"}</span>
                {r.reason}
                {typeof r.score === "number" && <span className="ml-1 text-xs text-slate-500">(score {r.score.toFixed(2)}{r.action ? `, ${r.action}` : ""})</span>}
              </li>
            ))}
            {reasons.length === 0 && <li className="text-slate-600">No reasons were recorded.</li>}
          </ul>
        </aside>
      </div>
    </main>
  );
}
