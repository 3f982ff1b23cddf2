/**
 * `npm run bench:ingest -- --compare <folder>`: Vouch's `npm run ingest` (fresh data folder)
 * and the plain pipeline (plain.ts) on the same folder of HTML, PDF and DOCX files, one after
 * the other in one run, and Vouch again into a data folder made beforehand (as after `npm start`),
 * each as its own process: wall time, pages/s, peak RSS (sampled from /proc every 50 ms;
 * the embedded PostgreSQL's own processes are not counted), and Vouch's ratio to the plain one.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { corpusFiles } from "./folder";

interface Run {
  name: string;
  wallS: number;
  peakRssMb: number;
  output: string;
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function run(name: string, args: string[], env: Record<string, string>): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(child.pid!))), 50);
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => {
      clearInterval(sampler);
      if (code !== 0) return reject(new Error(`${name} exited with code ${code}:\n${output.slice(-2000)}`));
      resolve({ name, wallS: (performance.now() - started) / 1000, peakRssMb: peak / 1024, output });
    }),
  );
}

export async function compareIngest(folder: string): Promise<void> {
  const files = corpusFiles(folder);
  const count = (re: RegExp) => files.filter((f) => re.test(f)).length;
  const kinds = `${count(/\.html?$/i)} HTML, ${count(/\.pdf$/i)} PDF, ${count(/\.docx$/i)} DOCX`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-bench-compare-"));
  fs.chmodSync(tmp, 0o755); // the embedded Postgres runs as the postgres user when we are root
  try {
    console.log(`bench:ingest --compare: ${kinds} files in ${folder}; ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)}`);
    const vouch = await run("vouch", ["scripts/ingest.ts", folder, "--kb", "bench"], { DATA_DIR: path.join(tmp, "vouch"), LOG_LEVEL: "warn" });
    // The usual case after `npm start` has made the data folder: PostgreSQL initialised, the store's table there.
    const existing = { DATA_DIR: path.join(tmp, "vouch-existing"), LOG_LEVEL: "warn" };
    await run("warm-up", ["scripts/ingest.ts", files[0]!, "--kb", "warm-up"], existing);
    const again = await run("vouch*", ["scripts/ingest.ts", folder, "--kb", "bench"], existing);
    const plain = await run("plain", ["tools/bench/ingest/plain.ts", folder, path.join(tmp, "plain")], {});
    // Pages as the plain pipeline counts them (a PDF's pages, one for any other file), for both rates.
    const pages = (JSON.parse(plain.output.trim().split("\n").at(-1) ?? "{}") as { pages?: number }).pages ?? files.length;
    console.log(`${pages} pages; Vouch: ${/\d+ files: .*/.exec(vouch.output)?.[0] ?? "(no summary)"}`);
    const line = (r: Run) => `${r.name.padEnd(8)} ${r.wallS.toFixed(1).padStart(8)} ${(pages / r.wallS).toFixed(1).padStart(8)} ${r.peakRssMb.toFixed(0).padStart(8)}`;
    console.log(`pipeline   wall s  pages/s  peak RSS MB\n${line(vouch)}\n${line(again)}\n${line(plain)}`);
    console.log("(vouch: fresh data folder; vouch*: a data folder already made, as after npm start)");
    console.log(`Vouch / plain: ${(plain.wallS / vouch.wallS).toFixed(2)}× the pages/s (goal ≥ 1.0), ${(vouch.peakRssMb / plain.peakRssMb).toFixed(2)}× the peak RSS (goal ≤ 1.5)`);
    console.log(`Vouch* / plain: ${(plain.wallS / again.wallS).toFixed(2)}× the pages/s, ${(again.peakRssMb / plain.peakRssMb).toFixed(2)}× the peak RSS`);
    console.log(`plain: ${plain.output.trim().split("\n").at(-1)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
