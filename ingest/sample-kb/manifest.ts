/**
 * The sample knowledge base: a support handbook for the fictional Halyard
 * Systems (Halyard Cloud monitoring SaaS + Beacon gateways and sensors).
 * One topic per file, formats mixed across topics.
 */
import path from "node:path";

export type SampleFormat = "md" | "html" | "pdf" | "docx";

export interface SampleTopic {
  /** Markdown source under ingest/sample-kb/source/. */
  source: string;
  format: SampleFormat;
  /** Generated file under ingest/sample-kb/files/. */
  file: string;
}

export const SAMPLE_TOPICS: readonly SampleTopic[] = [
  { source: "refunds-and-returns.md", format: "pdf", file: "refunds-and-returns.pdf" },
  { source: "billing-and-invoices.md", format: "docx", file: "billing-and-invoices.docx" },
  { source: "account-security.md", format: "html", file: "account-security.html" },
  { source: "data-deletion-and-retention.md", format: "md", file: "data-deletion-and-retention.md" },
  { source: "service-levels-and-outage-credits.md", format: "pdf", file: "service-levels-and-outage-credits.pdf" },
  { source: "shipping-and-delivery.md", format: "html", file: "shipping-and-delivery.html" },
  { source: "beacon-gateway-troubleshooting.md", format: "docx", file: "beacon-gateway-troubleshooting.docx" },
  { source: "cloud-platform-troubleshooting.md", format: "md", file: "cloud-platform-troubleshooting.md" },
  { source: "support-channels-and-escalation.md", format: "pdf", file: "support-channels-and-escalation.pdf" },
  { source: "plans-trials-and-users.md", format: "docx", file: "plans-trials-and-users.docx" },
];

export const SAMPLE_KB_SLUG = "halyard-support";
export const SAMPLE_KB_NAME = "Halyard support handbook (sample)";

/** Folder of the generated files, relative to the repository root. */
export const SAMPLE_FILES_DIR = "ingest/sample-kb/files";

/** Absolute paths of the generated sample files. */
export function sampleFilePaths(repoRoot: string = process.cwd()): string[] {
  return SAMPLE_TOPICS.map((t) => path.join(repoRoot, SAMPLE_FILES_DIR, t.file));
}

/** Absolute path of the evaluation questions (JSON Lines: {"q": string, "expect": string[]}). */
export function sampleQuestionsPath(repoRoot: string = process.cwd()): string {
  return path.join(repoRoot, "ingest/sample-kb/questions.jsonl");
}
