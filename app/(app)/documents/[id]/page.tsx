import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { htmlView, pdfPageLayout, textView, type RenderedView } from "@/ingest/view";
import { ALL_ROLES, requirePageUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { openForReading, type OpenedDocument } from "@/lib/kb/reader";
import { passageAt, readViewQuery, viewParams, type ViewQuery } from "@/lib/kb/view-query";

export const metadata: Metadata = { title: "Document" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** An original as a reader sees it, opened at the passage an answer cited (shaded). */
export default async function DocumentPage({ params, searchParams }: Props) {
  await connection();
  const user = await requirePageUser(ALL_ROLES);
  const query = readViewQuery(await searchParams);
  const doc = await openForReading(user, (await params).id, passageAt(query)).catch((error: unknown) => {
    if (error instanceof AppError && error.type === "not_found") notFound();
    throw error;
  });
  const view = doc.type === "pdf" ? undefined : doc.type === "html" ? await htmlView(doc.bytes, doc.resolveLinks, doc.passage?.text) : await textView(doc.bytes, doc.fileName, doc.resolveLinks, doc.passage?.text);
  return (
    <main className="mx-auto max-w-4xl">
      <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-xs font-semibold uppercase tracking-wide text-indigo-600">{doc.kbName}</p>
          <h1 data-testid="document-title" className="break-words text-2xl font-semibold">{view?.title ?? doc.fileName}</h1>
          <p className="text-sm text-slate-600">{doc.fileName} · version {doc.version}{doc.pages && doc.type === "pdf" ? ` · ${doc.pages} pages` : ""}</p>
        </div>
        <a href={`/api/documents/${doc.id}/file`} className="shrink-0 rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">Download the original</a>
      </header>
      <PassageNote doc={doc} view={view} />
      {doc.type === "pdf" ? <PdfPages doc={doc} query={query} /> : doc.type === "html" ? (
        <iframe title={`${doc.fileName}, rendered`} data-testid="document-frame" sandbox="allow-top-navigation-by-user-activation"
          src={`/api/documents/${doc.id}/view${viewParams(query)}#${encodeURIComponent(query.anchor ?? "vouch-passage")}`}
          className="h-[75vh] w-full rounded-lg border border-slate-200 bg-white" />
      ) : (
        <article data-testid="document-text" className="document-text rounded-lg border border-slate-200 bg-white p-6" dangerouslySetInnerHTML={{ __html: view!.html }} />
      )}
    </main>
  );
}

/** What is shaded and why, or why it is not. */
function PassageNote({ doc, view }: { doc: OpenedDocument; view?: RenderedView }) {
  const p = doc.passage;
  if (!p) return null;
  const changed = p.docVersion !== doc.version;
  const missing = view !== undefined && !view.marked;
  return (
    <div data-testid="passage-note" className={`mb-4 rounded-md px-3 py-2 text-sm ${missing ? "bg-amber-50 text-amber-900" : "bg-yellow-50 text-slate-800"}`}>
      {missing ? "The cited passage is not in this version of the document word for word. As the answer used it:" : `Shaded: the passage cited as [${p.n}]${p.headingPath ? `, under “${p.headingPath}”` : ""}.`}
      {changed && <span className="block">The answer used version {p.docVersion}; this is version {doc.version}.</span>}
      {missing && <blockquote className="mt-2 whitespace-pre-wrap border-l-2 border-amber-300 pl-3 text-slate-700">{p.text}</blockquote>}
    </div>
  );
}

async function PdfPages({ doc, query }: { doc: OpenedDocument; query: ViewQuery }) {
  const total = doc.pages ?? 1;
  const page = Math.min(query.p ?? doc.passage?.pageStart ?? 1, total);
  const at = (p: number) => `/documents/${doc.id}${viewParams({ ...query, p })}`;
  const continues = doc.passage?.pageEnd && doc.passage.pageEnd > page ? doc.passage.pageEnd : null;
  // The image's size is known before it loads, so the anchor over the shading is where the browser scrolls to.
  const layout = await pdfPageLayout(doc.bytes, page, doc.passage?.text);
  const shaded = layout.passage;
  return (
    <section aria-label="Pages">
      <nav className="mb-2 flex items-center justify-between text-sm" aria-label="Page">
        {page > 1 ? <a href={at(page - 1)} className="text-indigo-700 hover:underline">← Page {page - 1}</a> : <span />}
        <span data-testid="pdf-page-number">Page {page} of {total}{continues ? ` · the passage continues on page ${continues}` : ""}</span>
        {page < total ? <a href={at(page + 1)} className="text-indigo-700 hover:underline">Page {page + 1} →</a> : <span />}
      </nav>
      <div className="relative">
        {/* eslint-disable-next-line @next/next/no-img-element -- a rendered page image from our own API, not a static asset */}
        <img src={`/api/documents/${doc.id}/page${viewParams({ ...query, p: page })}`} alt={`Page ${page} of ${doc.fileName}`} data-testid="pdf-page"
          width={layout.width} height={layout.height} className="h-auto w-full rounded-lg border border-slate-200 bg-white" />
        {shaded && (
          <span id="vouch-passage" data-testid="pdf-passage" aria-hidden className="pointer-events-none absolute inset-x-0 scroll-mt-[20vh]"
            style={{ top: `${(shaded.top * 100).toFixed(2)}%`, height: `${((shaded.bottom - shaded.top) * 100).toFixed(2)}%` }} />
        )}
      </div>
    </section>
  );
}
