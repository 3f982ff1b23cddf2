import Link from "next/link";

/** The audit log's two views: every event, and the answered turns with their provenance. */
export function AuditSections({ current }: { current: "events" | "answers" }) {
  const tab = (active: boolean) => `rounded-md px-3 py-1.5 text-sm ${active ? "bg-slate-800 text-white" : "text-slate-700 hover:bg-slate-100"}`;
  return (
    <nav aria-label="Audit views" className="mb-4 flex gap-2">
      <Link href="/admin/audit" className={tab(current === "events")} aria-current={current === "events" ? "page" : undefined}>Events</Link>
      <Link href="/admin/audit/answers" className={tab(current === "answers")} aria-current={current === "answers" ? "page" : undefined}>Answers</Link>
    </nav>
  );
}
