"use client";

import { useEffect, useMemo, useState } from "react";
import { claimsCiting } from "@/lib/chat/highlight";
import { isWebLink, passageLinks, renderPassage } from "@/lib/chat/markdown";
import type { SourceSnapshot } from "@/lib/rag/sources";

/** Where the passage's links lead in Vouch (documents of the same knowledge base); asked once per passage. */
function useResolvedLinks(source: SourceSnapshot): Record<string, string | null> {
  const hrefs = useMemo(() => passageLinks(source.text).filter((h) => !isWebLink(h)), [source.text]);
  const [links, setLinks] = useState<Record<string, string | null>>({});
  useEffect(() => {
    if (hrefs.length === 0) return;
    const controller = new AbortController();
    const query = new URLSearchParams(hrefs.slice(0, 100).map((h) => ["href", h]));
    fetch(`/api/documents/${source.docId}/links?${query}`, { signal: controller.signal })
      .then((r) => (r.ok ? r.json() : { links: {} }))
      .then((body: { links: Record<string, string | null> }) => setLinks(body.links))
      .catch(() => {}); // unresolved links stay plain text
    return () => controller.abort();
  }, [hrefs, source.docId]);
  return links;
}

/** The document viewer at this passage (with the answer's message, so it can show the passage as it was used). */
export function viewerLink(source: SourceSnapshot, messageId: string): string {
  const at = messageId.startsWith("local-") ? "" : `?m=${messageId}&n=${source.n}`;
  return `/documents/${source.docId}${at}#vouch-passage`;
}

export function SourcePanel({ source, answer, messageId, question, onClose }: { source: SourceSnapshot; answer: string; messageId: string; question: string; onClose: () => void }) {
  const links = useResolvedLinks(source);
  const page = source.pageStart ? (source.pageEnd && source.pageEnd !== source.pageStart ? `pages ${source.pageStart}–${source.pageEnd}` : `page ${source.pageStart}`) : null;
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
        <blockquote data-testid="source-passage" className="prose-answer passage rounded-md bg-slate-50 p-3 text-sm leading-relaxed" dangerouslySetInnerHTML={{ __html: renderPassage(source.text, { question, claims: claimsCiting(answer, source.n), resolveLink: (h) => links[h] ?? null }) }} />
        <p className="mt-3 text-xs text-slate-500">
          Relevance {Math.round(source.scores.relevance * 100)}% · fused {source.scores.fused.toFixed(2)}
          {source.scores.textRank ? ` · keyword rank ${source.scores.textRank}` : ""}{source.scores.vectorRank ? ` · vector rank ${source.scores.vectorRank}` : ""}
        </p>
      </div>
      <div className="border-t border-slate-200 p-4">
        <a href={viewerLink(source, messageId)} target="_blank" rel="noopener" data-testid="open-original" className="text-sm font-medium text-indigo-700 hover:underline">
          Open the original{page ? ` at ${page}` : ""} ↗
        </a>
        <p className="mt-1 text-xs text-slate-500">The passage above is the text as it was when this answer was written (version {source.docVersion}).</p>
      </div>
    </aside>
  );
}
