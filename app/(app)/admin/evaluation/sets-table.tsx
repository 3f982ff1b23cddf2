"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "./send";

interface SetRow {
  id: string;
  name: string;
  purpose: "questions" | "red-team";
  questions: number;
  version: number;
  gated: boolean;
  updatedAt: string;
}

export function SetsTable({ sets, admin }: { sets: SetRow[]; admin: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  if (sets.length === 0) return <p className="mt-3 text-sm text-slate-500">No question sets yet{admin ? ": upload one below, or build one question by question." : "."}</p>;
  async function act(path: string, method: string, body?: unknown) {
    setError(await sendJson(path, method, body));
    router.refresh();
  }
  return (
    <>
      <table className="mt-3 w-full text-left text-sm">
        <thead className="text-slate-500">
          <tr><th className="py-1 font-medium">Set</th><th className="font-medium">Kind</th><th className="font-medium">Questions</th><th className="font-medium">Version</th><th className="font-medium">Gate</th>{admin && <th />}</tr>
        </thead>
        <tbody>
          {sets.map((s) => (
            <tr key={s.id} className="border-t border-slate-100">
              <td className="py-1.5 font-medium">{s.name}</td>
              <td>{s.purpose === "red-team" ? "red team" : "questions"}</td>
              <td>{s.questions}</td>
              <td>
                v{s.version} <span className="text-slate-500">· {new Date(s.updatedAt).toLocaleDateString()}</span>
                <a href={`/api/admin/eval/sets/${s.id}`} download className="ml-2 text-indigo-700 hover:underline">Download</a>
              </td>
              <td>
                {s.purpose === "questions" &&
                  (admin ? (
                    <label className="flex items-center gap-1.5" title="A new embedding model or review-policy version must score at least as well as the active one on this set before it is activated.">
                      {/* Uncontrolled, keyed by the stored value: it shows the click at once and the saved state after the refresh. */}
                      <input key={`${s.id}:${s.gated}`} type="checkbox" defaultChecked={s.gated} onChange={(e) => void act(`/api/admin/eval/sets/${s.id}`, "PATCH", { gated: e.target.checked })} aria-label={`Gate changes on ${s.name}`} />
                      gates changes
                    </label>
                  ) : s.gated ? "gates changes" : "—")}
              </td>
              {admin && (
                <td className="text-right">
                  <button onClick={() => confirm(`Delete the set "${s.name}" and all its versions? Its runs stay.`) && void act(`/api/admin/eval/sets/${s.id}`, "DELETE")} className="text-slate-500 hover:text-red-700">Delete</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {error && <p role="alert" className="mt-2 text-sm text-amber-800">{error}</p>}
    </>
  );
}
