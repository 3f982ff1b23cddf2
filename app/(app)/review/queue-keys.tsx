"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Keyboard shortcuts on the queue and item pages: j = next pending item; a = approve, r = reject (item page). */
export function QueueKeys({ ids, current, onApprove, onReject }: { ids: string[]; current?: string; onApprove?: () => void; onReject?: () => void }) {
  const router = useRouter();
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
      if (e.key === "j") {
        const next = ids.find((id) => id !== current && (current === undefined || ids.indexOf(id) > ids.indexOf(current))) ?? ids.find((id) => id !== current);
        if (next) router.push(`/review/${next}`);
      } else if (e.key === "a" && onApprove) {
        e.preventDefault();
        onApprove();
      } else if (e.key === "r" && onReject) {
        e.preventDefault();
        onReject();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [ids, current, onApprove, onReject, router]);
  return null;
}
