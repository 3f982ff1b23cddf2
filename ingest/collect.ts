/** Files named on the command line: folders are walked; paths inside a folder are kept relative to it. */
import fs from "node:fs/promises";
import path from "node:path";

export interface LocalFile {
  /** Absolute path on disk. */
  path: string;
  /** Name recorded in the knowledge base: relative to the folder given, or the file's base name. */
  name: string;
}

export async function collectFiles(args: readonly string[]): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  for (const arg of args) {
    const abs = path.resolve(arg);
    const st = await fs.stat(abs).catch(() => undefined);
    if (!st) throw new Error(`No such file or folder: ${arg}`);
    if (st.isFile()) out.push({ path: abs, name: path.basename(abs) });
    else if (st.isDirectory()) await walk(abs, abs, out);
  }
  return out;
}

async function walk(root: string, dir: string, out: LocalFile[]): Promise<void> {
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walk(root, full, out);
    else if (e.isFile()) out.push({ path: full, name: path.relative(root, full).split(path.sep).join("/") });
  }
}
