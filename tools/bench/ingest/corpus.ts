/**
 * The benchmark corpus: generated handbooks rendered as long PDFs, DOCX,
 * HTML help-centre pages and Markdown. Same plan, same bytes every run. The
 * renderers are the sample knowledge base's, so the files look like the ones
 * the parsers are tested on.
 */
import { renderDocx } from "@/ingest/sample-kb/build/docx-writer";
import { renderHtml } from "@/ingest/sample-kb/build/html-writer";
import { parseHandbook } from "@/ingest/sample-kb/build/model";
import { renderBenchPdf } from "./pdf";
import { generateHandbook } from "./prose";

export type CorpusFormat = "pdf" | "docx" | "html" | "md";

export interface CorpusPlan {
  /** How many files of each format, and about how many words each holds. */
  files: Record<CorpusFormat, { count: number; words: number }>;
  seed: number;
}

export interface CorpusFile {
  fileName: string;
  format: CorpusFormat;
  bytes: Uint8Array;
}

/**
 * About 2,100 pipeline pages: twelve ~165-page PDFs (~490 words a page) plus
 * 140 files of ~900 words in the other formats, which count one page each.
 */
export const DEFAULT_PLAN: CorpusPlan = {
  seed: 7,
  files: {
    pdf: { count: 12, words: 80_000 },
    docx: { count: 40, words: 900 },
    html: { count: 40, words: 900 },
    md: { count: 60, words: 900 },
  },
};

/** Multiply every file count by `factor` (at least one file of each format). */
export function scalePlan(plan: CorpusPlan, factor: number): CorpusPlan {
  const files = Object.fromEntries(
    Object.entries(plan.files).map(([k, v]) => [k, { ...v, count: Math.max(1, Math.round(v.count * factor)) }]),
  ) as CorpusPlan["files"];
  return { ...plan, files };
}

const encoder = new TextEncoder();

/** Render one file; `n` numbers files within the format and seeds their prose. */
async function renderFile(plan: CorpusPlan, format: CorpusFormat, n: number): Promise<CorpusFile> {
  const { words } = plan.files[format];
  const seed = plan.seed * 100_003 + ["pdf", "docx", "html", "md"].indexOf(format) * 10_007 + n;
  const { title, markdown } = generateHandbook(seed, words);
  const base = `${format}-${String(n).padStart(4, "0")}`;
  switch (format) {
    case "pdf":
      return { fileName: `${base}.pdf`, format, bytes: await renderBenchPdf(title, markdown) };
    case "docx":
      return { fileName: `${base}.docx`, format, bytes: await renderDocx(parseHandbook(markdown)) };
    case "html":
      return { fileName: `${base}.html`, format, bytes: encoder.encode(renderHtml(markdown, title, [{ title: "Home", href: "/" }])) };
    case "md":
      return { fileName: `${base}.md`, format, bytes: encoder.encode(markdown) };
  }
}

/** Every file of the plan, interleaved by format so the queue mixes them as real uploads would. */
export async function* generateCorpus(plan: CorpusPlan): AsyncGenerator<CorpusFile> {
  const formats = Object.keys(plan.files) as CorpusFormat[];
  const longest = Math.max(...formats.map((f) => plan.files[f].count));
  for (let n = 0; n < longest; n++) {
    for (const format of formats) if (n < plan.files[format].count) yield await renderFile(plan, format, n);
  }
}
