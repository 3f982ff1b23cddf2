import type { Metadata } from "next";
import { connection } from "next/server";
import { AdminTabs } from "@/app/_components/admin-tabs";
import { getCurrentRoutingPolicy } from "@/lib/review/policy-store";
import { ADMIN_ROLES, requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { listPolicyVersionViews } from "@/lib/review/admin";
import { countRoutingLabels, getRoutingQuality } from "@/db/queries/routing-labels";
import { MIN_LABELS } from "@/lib/review/retrain";
import { PolicyHistory } from "./policy-history";
import { RetrainCard } from "./retrain-card";
import { ReviewPolicyEditor } from "./review-policy-editor";
import { RoutingQualityCard } from "./routing-quality";
import { SelfReviewCard } from "./self-review-card";
import { isSelfReviewAllowed } from "@/db/queries/settings";

export const metadata: Metadata = { title: "Review policy" };

export default async function ReviewPolicyPage() {
  await connection();
  await requirePageUser(ADMIN_ROLES);
  const db = await getDb();
  const current = await getCurrentRoutingPolicy(db);
  const [versions, quality, labels, selfReview] = await Promise.all([
    listPolicyVersionViews(db),
    getRoutingQuality(db, { days: 90 }),
    countRoutingLabels(db),
    isSelfReviewAllowed(db),
  ]);
  const model = current.policy.classifier?.model;
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
          <RetrainCard inUse={{ trainedAt: model?.trainedAt ?? null, labels: model?.labels ?? 0, heldOut: model?.heldOut ?? 0 }} labels={labels} minLabels={MIN_LABELS} />
          <SelfReviewCard allowed={selfReview} />
          <PolicyHistory versions={versions} current={current.version} />
        </div>
      </div>
    </main>
  );
}
