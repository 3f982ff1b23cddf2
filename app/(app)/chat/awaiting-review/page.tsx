import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { listReviewItemsForAgent } from "@/db/queries/review";
import { ALL_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { maskPiiIn } from "@/lib/review/pii";

export const metadata: Metadata = { title: "Awaiting review" };

const STATUS: Record<string, string> = {
  pending: "bg-amber-100 text-amber-800",
  approved: "bg-emerald-100 text-emerald-800",
  edited: "bg-emerald-100 text-emerald-800",
  rejected: "bg-red-100 text-red-800",
};

export default async function AwaitingReviewPage() {
  await connection();
  const user = await requirePageUser(ALL_ROLES);
  const rows = await listReviewItemsForAgent(await getDb(), { agentId: user.id });
  const pending = rows.filter((r) => r.item.status === "pending").length;
  return (
    <main className="mx-auto max-w-4xl">
      {pending > 0 && <AutoRefresh everyMs={3000} />}
      <div className="mb-4 flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Awaiting review</h1>
        <Link href="/chat" className="text-sm text-indigo-700 hover:underline">Back to chat</Link>
      </div>
      <p className="mb-4 text-sm text-slate-600">Answers held for a reviewer before they reach you. {pending} still pending.</p>
      <ul className="space-y-2">
        {rows.map(({ item, conversationId }) => (
          <li key={item.id} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="held-item">
            <div className="flex items-start justify-between gap-3">
              <Link href={`/chat/${conversationId}`} className="font-medium hover:underline">{maskPiiIn(item.question)}</Link>
              <span className={`shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ${STATUS[item.status]}`}>{item.status}</span>
            </div>
            <p className="mt-1 text-xs text-slate-500">Held {item.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC{item.topic ? ` · ${item.topic}` : ""}</p>
            {item.status === "rejected" && item.note && <p className="mt-2 text-sm text-red-800">Reviewer&apos;s note: {item.note}</p>}
          </li>
        ))}
        {rows.length === 0 && <li className="text-slate-500">Nothing has been held for review.</li>}
      </ul>
    </main>
  );
}
