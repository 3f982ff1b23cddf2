"use client";

import { renderPassage } from "@/lib/chat/markdown";
import type { SourceSnapshot } from "@/lib/rag/sources";
import { contentWords } from "@/lib/retrieval/words";

/** Marks the passage's words that carry meaning in the citing answer (not "with", "from", nor its [n] markers). */
function sharedWords(answer: string): (word: string) => boolean {
  const stems = new Set(contentWords(answer.replace(/\[\d+\]/g, " ")));
  return (word) => {
    const [stem] = contentWords(word);
    return stem !== undefined && stems.has(stem);
  };
}

export function SourcePanel({ source, answer, onClose }: { source: SourceSnapshot; answer: string; onClose: () => void }) {
  const page = source.pageStart ? (source.pageEnd && source.pageEnd !== source.pageStart ? `pages ${source.pageStart}–${source.pageEnd}` : `page ${source.pageStart}`) : null;
  const href = `/api/documents/${source.docId}/file${source.pageStart ? `#page=${source.pageStart}` : ""}`;
  return (
    <aside aria-label={`Source ${source.n}`} data-testid="source-panel" className="flex h-full flex-col border-l border-slate-200 bg-white">
      <div className="flex items-start justify-between gap-2 border-b border-slate-200 p-4">
        <div className="min-w-0">
          <p className="text-xs font-semibold uppercase tracking-wide text-indigo-600">Source {source.n}</p>
          <h2 className="truncate font-semibold" title={source.fileName}>{source.title || source.fileName}</h2>
          <p className="text-sm text-slate-600">{source.fileName}{page ? ` · ${page}` : ""}</p>
          {source.headingPath && <p className="mt-1 text-xs text-slate-500">{source.headingPath}</p>}
          {source.ocr && (
            <p data-testid="source-ocr" className="mt-2 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">
              Read by OCR from a scanned page: check the wording against the original
            </p>
          )}
        </div>
        <button type="button" onClick={onClose} aria-label="Close source" className="rounded-md p-1 text-slate-500 hover:bg-slate-100">✕</button>
      </div>
      <div className="flex-1 overflow-y-auto p-4">
        <blockquote data-testid="source-passage" className="prose-answer passage rounded-md bg-slate-50 p-3 text-sm leading-relaxed" dangerouslySetInnerHTML={{ __html: renderPassage(source.text, sharedWords(answer)) }} />
        <p className="mt-3 text-xs text-slate-500">
          Relevance {Math.round(source.scores.relevance * 100)}% · fused {source.scores.fused.toFixed(2)}
          {source.scores.textRank ? ` · keyword rank ${source.scores.textRank}` : ""}{source.scores.vectorRank ? ` · vector rank ${source.scores.vectorRank}` : ""}
        </p>
      </div>
      <div className="border-t border-slate-200 p-4">
        <a href={href} target="_blank" rel="noopener" className="text-sm font-medium text-indigo-700 hover:underline">
          Open the original{page ? ` at ${page}` : ""} ↗
        </a>
        <p className="mt-1 text-xs text-slate-500">The passage above is the text as it was when this answer was written (version {source.docVersion}).</p>
      </div>
    </aside>
  );
}
