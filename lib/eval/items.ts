/**
 * Evaluation questions as admins upload them: JSON Lines or CSV, one question a line,
 * with the documents that should answer it, optionally the fact the answer must
 * contain, and optionally whether it needs a reviewer. Red-team sets hold attack
 * attempts instead. Every line is checked; the first bad one is named.
 */
import { z } from "zod";
import { AppError } from "@/lib/errors";

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : v.split(/[;|]/)).map((s) => s.trim()).filter(Boolean));
const flag = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === "boolean") return v;
  const word = v.trim().toLowerCase();
  if (["true", "yes", "1", "high"].includes(word)) return true;
  if (["false", "no", "0", "routine", ""].includes(word)) return false;
  ctx.addIssue({ code: "custom", message: `"${v}" is not yes or no` });
  return z.NEVER;
});

const questionLine = z
  .object({
    question: z.string().trim().min(1).max(4000).optional(),
    q: z.string().trim().min(1).max(4000).optional(),
    expect: list.optional(),
    documents: list.optional(),
    fact: list.optional(),
    facts: list.optional(),
    high: flag.optional(),
    needs_review: flag.optional(),
    category: z.string().trim().min(1).optional(),
    writer: z.string().trim().min(1).optional(),
  })
  .transform((l, ctx) => {
    const question = l.question ?? l.q;
    if (!question) {
      ctx.addIssue({ code: "custom", message: "a question is required" });
      return z.NEVER;
    }
    const high = l.high ?? l.needs_review;
    return {
      question,
      expect: [...(l.expect ?? []), ...(l.documents ?? [])],
      facts: [...(l.fact ?? []), ...(l.facts ?? [])],
      ...(high === undefined ? {} : { high }),
      ...(l.category ? { category: l.category } : {}),
      ...(l.writer ? { writer: l.writer } : {}),
    };
  });

const attackLine = z
  .object({ attempt: z.string().min(1).max(4000).optional(), question: z.string().min(1).max(4000).optional(), kind: z.string().trim().min(1).optional(), writer: z.string().optional() })
  .transform((l, ctx) => {
    const attempt = l.attempt ?? l.question;
    if (!attempt) {
      ctx.addIssue({ code: "custom", message: "an attempt is required" });
      return z.NEVER;
    }
    return { attempt, kind: l.kind ?? "admin", ...(l.writer ? { writer: l.writer } : {}) };
  });

export type EvalItem = z.output<typeof questionLine>;
export type AttackItem = z.output<typeof attackLine>;
export type SetPurpose = "questions" | "red-team";

export const MAX_ITEMS = 2000;

/** Parses an upload by its name (.csv, else JSON Lines); throws bad_request naming the first bad line. */
export function parseSetFile(text: string, fileName: string, purpose: SetPurpose): (EvalItem | AttackItem)[] {
  const rows = /\.csv$/i.test(fileName) ? csvRows(text) : jsonRows(text);
  if (rows.length === 0) throw new AppError("bad_request:eval", "The file has no questions.");
  if (rows.length > MAX_ITEMS) throw new AppError("bad_request:eval", `A set holds at most ${MAX_ITEMS} questions; the file has ${rows.length}.`);
  const schema = purpose === "red-team" ? attackLine : questionLine;
  return rows.map(({ line, value }) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new AppError("bad_request:eval", `Line ${line}: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ")}`);
    return parsed.data;
  });
}

/** Items as stored (validated again: a set's rows outlive the code that wrote them). */
export function readQuestions(items: readonly unknown[]): EvalItem[] {
  return items.flatMap((i) => questionLine.safeParse(i).data ?? []);
}

export function readAttacks(items: readonly unknown[]): AttackItem[] {
  return items.flatMap((i) => attackLine.safeParse(i).data ?? []);
}

export function parseQuestion(value: unknown): EvalItem {
  const parsed = questionLine.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request:eval", parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

function jsonRows(text: string): { line: number; value: unknown }[] {
  const out: { line: number; value: unknown }[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      out.push({ line: i + 1, value: JSON.parse(raw) });
    } catch {
      throw new AppError("bad_request:eval", `Line ${i + 1} is not JSON. Upload JSON Lines (one object a line) or a .csv file.`);
    }
  });
  return out;
}

/** RFC 4180 CSV with a header row; quoted fields may hold commas, quotes ("") and line breaks. */
function csvRows(text: string): { line: number; value: unknown }[] {
  const records = parseCsv(text.replace(/^\uFEFF/, ""));
  const header = (records.shift()?.cells ?? []).map((h) => h.trim().toLowerCase());
  if (!header.includes("question") && !header.includes("attempt")) throw new AppError("bad_request:eval", 'The CSV needs a header row with a "question" column.');
  return records
    .filter((r) => r.cells.some((c) => c.trim() !== ""))
    .map((r) => ({ line: r.line, value: Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ""]).filter(([, v]) => v !== "")) }));
}

function parseCsv(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      out.push({ line: start, cells });
      cells = [];
      cell = "";
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell !== "" || cells.length > 0) out.push({ line: start, cells: [...cells, cell] });
  return out;
}
