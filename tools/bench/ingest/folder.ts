import fs from "node:fs";
import path from "node:path";

/** The formats the comparison with the plain pipeline covers. */
export const COMPARED = /\.(html?|pdf|docx)$/i;

/** Every HTML, PDF and DOCX file under `folder`, sorted. */
export function corpusFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && COMPARED.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Every .html / .htm file under `folder`, sorted. */
export function htmlFiles(folder: string): string[] {
  return corpusFiles(folder).filter((f) => /\.html?$/i.test(f));
}
