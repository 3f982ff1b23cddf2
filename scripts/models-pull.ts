/**
 * npm run models:pull -- <model-id> [--allow-unrecorded]
 * Fetches a model listed in models/manifest.json from its hub (or MODELS_MIRROR),
 * verifying every file's sha256 and size before installing any of them. A pull that
 * stopped part-way (failed, interrupted) continues where it stopped when run again.
 */
import cliProgress from "cli-progress";
import { planPull, pullModel, stagedBytes, stagingFolder } from "@/lib/embeddings/pull";
import { getEnv } from "@/lib/env";
import { defaultManifestPath, loadManifest } from "@/lib/models/manifest";

const args = process.argv.slice(2);
const modelId = args.find((a) => !a.startsWith("--"));
const allowUnrecorded = args.includes("--allow-unrecorded");

function fail(message: string): never {
  console.error(`models:pull: ${message}`);
  process.exit(1);
}

const env = getEnv();
let manifest: ReturnType<typeof loadManifest>;
try {
  manifest = loadManifest(defaultManifestPath(env));
} catch (err) {
  fail((err as Error).message);
}
const pullable = manifest.models.filter((m) => m.source.startsWith("hf:")).map((m) => m.id);
if (!modelId) fail(`name a model: npm run models:pull -- <model-id>\n  pullable: ${pullable.join(", ") || "(none)"}`);
const entry = manifest.models.find((m) => m.id === modelId);
if (!entry) fail(`"${modelId}" is not in ${defaultManifestPath(env)}\n  pullable: ${pullable.join(", ") || "(none)"}`);

let plan: ReturnType<typeof planPull>;
try {
  plan = planPull(entry);
} catch (err) {
  fail((err as Error).message);
}
const from = env.MODELS_MIRROR ?? "https://huggingface.co";
console.log(`models:pull: ${entry.id} from ${from} (${plan.repo}@${plan.revision}) into ${env.modelsDir}`);
if (!plan.pinned) console.log("models:pull: warning: the manifest pins no revision; using main (sha256 checks still apply)");
const staged = await stagedBytes(env.modelsDir, entry);
if (staged > 0) console.log(`models:pull: continuing from the ${staged} bytes an earlier attempt left in ${stagingFolder(env.modelsDir, entry.id)}`);

const bars = new cliProgress.MultiBar(
  { format: " {bar} {percentage}% | {value}/{total} bytes | {file}", hideCursor: true, clearOnComplete: false },
  cliProgress.Presets.shades_classic,
);
const byFile = new Map<string, cliProgress.SingleBar>();
try {
  const files = await pullModel(entry, {
    modelsDir: env.modelsDir,
    mirror: env.MODELS_MIRROR,
    allowUnrecorded,
    onProgress: (p) => {
      let bar = byFile.get(p.file);
      if (!bar) {
        bar = bars.create(p.total || 1, 0, { file: p.file });
        byFile.set(p.file, bar);
      }
      if (p.total > 0) bar.setTotal(p.total);
      bar.update(p.received, { file: p.file });
    },
  });
  bars.stop();
  console.log(`models:pull: ${entry.id} installed and verified:`);
  for (const f of files) console.log(`  ${f.path}  ${f.size} bytes  sha256 ${f.sha256}`);
  if (entry.files.some((f) => f.sha256 === "unknown")) {
    console.log("models:pull: the manifest had no hashes for some files; record the values above in models/manifest.json");
  }
} catch (err) {
  bars.stop();
  const kept = await stagedBytes(env.modelsDir, entry);
  fail(kept > 0 ? `${(err as Error).message}\n  the ${kept} bytes received are kept; run the same command again to continue` : (err as Error).message);
}
