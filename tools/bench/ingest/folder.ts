import fs from "node:fs";
import path from "node:path";

/** Every .html / .htm file under `folder`, sorted. */
export function htmlFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.html?$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
