/** Builds the web app when the sources changed since the last build, so `npm start` is one command. */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "lib", "db", "ingest", "public"];
const SOURCE_FILES = ["package-lock.json", "next.config.mjs", "postcss.config.mjs", "tsconfig.json"];

function fingerprint(root: string): string {
  const hash = crypto.createHash("sha256");
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && !e.name.startsWith(".")) walk(full);
      } else if (!/\.test\.tsx?$/.test(e.name)) {
        const st = fs.statSync(full);
        hash.update(`${path.relative(root, full)}:${st.size}:${st.mtimeMs}\n`);
      }
    }
  };
  for (const d of SOURCE_DIRS) walk(path.join(root, d));
  for (const f of SOURCE_FILES) {
    try {
      const st = fs.statSync(path.join(root, f));
      hash.update(`${f}:${st.size}:${st.mtimeMs}\n`);
    } catch {
      /* optional file */
    }
  }
  return hash.digest("hex");
}

export function ensureAppBuilt(root: string, log: (m: string) => void, force = false): void {
  const stampFile = path.join(root, ".next", "vouch-build-fingerprint");
  const current = fingerprint(root);
  const built = fs.existsSync(path.join(root, ".next", "BUILD_ID"));
  if (!force && built && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === current) return;
  log(built ? "Sources changed since the last build: rebuilding the web app …" : "Building the web app (first start; this takes a few minutes) …");
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("The web app failed to build (see the output above).");
  fs.writeFileSync(stampFile, current);
}
