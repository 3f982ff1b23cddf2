import type { Metadata } from "next";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import { ADMIN_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { listPolicyVersionViews } from "@/lib/review/admin";
import { getRoutingQuality } from "@/db/queries/routing-labels";
import { ReviewPolicyEditor } from "./review-policy-editor";
import { RoutingQualityCard } from "./routing-quality";

export const metadata: Metadata = { title: "Review policy" };

const when = (iso: string) => iso.replace("T", " ").slice(0, 16) + " UTC";

export default async function ReviewPolicyPage() {
  await connection();
  await requirePageUser(ADMIN_ROLES);
  const db = await getDb();
  const current = await getCurrentRoutingPolicy(db);
  const [versions, quality] = await Promise.all([listPolicyVersionViews(db), getRoutingQuality(db, { days: 90 })]);
  return (
    <main>
      <h1 className="mb-4 text-2xl font-semibold">Administration</h1>
      <AdminTabs />
      <p className="mb-6 max-w-3xl text-sm text-slate-600">
        Which questions and answers reach the agent only after a reviewer approves them, and which are refused. Every answer is also checked for weak
        grounding, personal data, prompt injection and broken citations. Each save is a new version, recorded in the audit log.
      </p>
      <div className="grid gap-6 xl:grid-cols-[1fr_18rem]">
        <ReviewPolicyEditor policy={current.policy} version={current.version} />
        <div className="space-y-6">
          <RoutingQualityCard quality={quality} />
          <aside aria-labelledby="history-heading" className="h-fit rounded-lg border border-slate-200 bg-white p-5">
            <h2 id="history-heading" className="text-lg font-semibold">Version history</h2>
            <ol className="mt-3 space-y-2 text-sm" data-testid="policy-history">
              {versions.map((v) => (
                <li key={v.version} className="border-b border-slate-100 pb-2 last:border-0">
                  <span className="font-medium">Version {v.version}</span>
                  {v.version === current.version && <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">current</span>}
                  <span className="block text-xs text-slate-500">{v.by} · {when(v.at)}</span>
                </li>
              ))}
            </ol>
          </aside>
        </div>
      </div>
    </main>
  );
}
