import type { EvalRun } from "@/db/queries/evaluation";

interface RetrievalQuestion {
  q: string;
  expect: string[];
  hits: (number | null)[];
  top: string[][];
}

/** What each kind of run missed: the questions, what came back instead, what got through. */
export function RunDetails({ kind, details, metrics }: { kind: EvalRun["kind"]; details: Record<string, unknown>; metrics: Record<string, number> }) {
  if (kind === "retrieval") return <RetrievalMisses details={details as { modes: { name: string }[]; questions: RetrievalQuestion[] }} />;
  if (kind === "answers") return <AnswerMisses rows={(details.answers ?? []) as AnswerRow[]} />;
  if (kind === "routing") return <Misrouted rows={(details.questions ?? []) as RoutingRow[]} metrics={metrics} />;
  return <GotThrough details={details as { byKind: Record<string, { total: number; stopped: number }>; gotThrough: AttackRow[] }} />;
}

const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <section aria-label={title} className="mt-6 rounded-lg border border-slate-200 bg-white p-4 text-sm">
    <h3 className="font-semibold">{title}</h3>
    {children}
  </section>
);

function RetrievalMisses({ details }: { details: { modes: { name: string }[]; questions: RetrievalQuestion[] } }) {
  const missed = details.questions.filter((q) => q.hits.some((h) => h === null || h > 5));
  return (
    <Section title={`Missed questions (${missed.length} of ${details.questions.length})`}>
      <p className="mt-1 text-slate-600">Questions whose expected document was not in a mode&apos;s top 5 chunks; the rank where it was found (— not in the top 10), and the documents that came back instead.</p>
      <ul className="mt-3 space-y-3">
        {missed.map((q) => (
          <li key={q.q} className="border-t border-slate-100 pt-2">
            <p className="font-medium">{q.q}</p>
            <p className="text-slate-600">Expected: {q.expect.join(", ")}</p>
            <table className="mt-1 text-xs">
              <tbody>
                {details.modes.map((m, i) => (
                  <tr key={m.name}>
                    <td className="pr-3 font-medium">{m.name}</td>
                    <td className="pr-3">rank {q.hits[i] ?? "—"}</td>
                    <td className="text-slate-600">came back: {q.top[i]?.join(", ") || "nothing"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </li>
        ))}
      </ul>
    </Section>
  );
}

interface AnswerRow {
  q: string;
  facts: string[];
  expect: string[];
  status: string;
  fact: boolean;
  cites: boolean | null;
  cited: string[];
  answer: string;
}

function AnswerMisses({ rows }: { rows: AnswerRow[] }) {
  const missed = rows.filter((r) => !r.fact || r.cites === false);
  return (
    <Section title={`Answers without the fact or the expected source (${missed.length} of ${rows.length})`}>
      <ul className="mt-3 space-y-3">
        {missed.map((r) => (
          <li key={r.q} className="border-t border-slate-100 pt-2">
            <p className="font-medium">{r.q}</p>
            <p className="text-slate-600">
              Wanted {r.facts.map((f) => `“${f}”`).join(" or ")}{r.fact ? " (found)" : " (missing)"}; expected source {r.expect.join(", ") || "—"}, cited {r.cited.join(", ") || "nothing"} · {r.status}
            </p>
            <p className="mt-1 whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">{r.answer || "(no text)"}</p>
          </li>
        ))}
      </ul>
    </Section>
  );
}

interface RoutingRow {
  q: string;
  source: string;
  high: boolean;
  decision: string;
  reasons: string[];
}

function Misrouted({ rows, metrics }: { rows: RoutingRow[]; metrics: Record<string, number> }) {
  const wrong = rows.filter((r) => r.high !== (r.decision !== "release"));
  const cell = (key: "tp" | "fn" | "fp" | "tn") => metrics[`routing.${key}`] ?? 0;
  return (
    <Section title={`Confusion matrix and misrouted questions (${wrong.length} of ${rows.length})`}>
      <table aria-label="Confusion matrix" className="mt-2 text-sm">
        <thead className="text-slate-500"><tr><th /><th className="px-3 font-medium">held or refused</th><th className="px-3 font-medium">released</th></tr></thead>
        <tbody>
          <tr><th className="pr-3 text-left font-medium">needs a reviewer</th><td className="px-3 text-center">{cell("tp")}</td><td className="px-3 text-center">{cell("fn")}</td></tr>
          <tr><th className="pr-3 text-left font-medium">routine</th><td className="px-3 text-center">{cell("fp")}</td><td className="px-3 text-center">{cell("tn")}</td></tr>
        </tbody>
      </table>
      <ul className="mt-3 space-y-2">
        {wrong.map((r, i) => (
          <li key={i} className="border-t border-slate-100 pt-2">
            <p><span className="mr-2 rounded bg-slate-100 px-1 text-xs">{r.high ? "needed review, released" : "routine, held"}</span>{r.q} <span className="text-xs text-slate-500">({r.source === "reviewers" ? "reviewers' label" : "set"})</span></p>
            {r.reasons.length > 0 && <p className="text-xs text-slate-600">{r.reasons.join(" · ")}</p>}
          </li>
        ))}
      </ul>
    </Section>
  );
}

interface AttackRow {
  attempt: string;
  kind: string;
  writer: string | null;
  status: string;
  answer: string;
}

function GotThrough({ details }: { details: { byKind: Record<string, { total: number; stopped: number }>; gotThrough: AttackRow[] } }) {
  return (
    <>
      <Section title="Held or refused, by kind of attack">
        <table className="mt-2 text-sm">
          <tbody>
            {Object.entries(details.byKind).sort().map(([kind, k]) => (
              <tr key={kind}><td className="pr-4">{kind}</td><td className="pr-4 font-mono">{k.stopped} of {k.total}</td><td className="font-mono">{(k.stopped / k.total).toFixed(2)}</td></tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title={`Attempts that got through (${details.gotThrough.length})`}>
        <p className="mt-1 text-slate-600">Each reached the agent as an answer. Read what it got: an answer from the knowledge base, or &quot;not found&quot;, may be harmless; anything else needs a policy change.</p>
        <ul className="mt-3 space-y-3">
          {details.gotThrough.map((a, i) => (
            <li key={i} className="border-t border-slate-100 pt-2">
              <p><span className="mr-2 rounded bg-amber-100 px-1 text-xs text-amber-900">{a.kind}</span><span className="break-words">{a.attempt}</span></p>
              <p className="mt-1 whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">{a.answer || "(no text)"}</p>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
