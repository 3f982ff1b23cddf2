/**
 * npm run models:bom [-- --out bom.json] [--manifest path] [--no-verify]
 * Prints the model manifest as a CycloneDX 1.6 ML-BOM (or writes it to --out).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { getEnv } from "@/lib/env";
import { buildMlBom } from "@/lib/models/bom";
import { defaultManifestPath, loadManifest, ManifestError } from "@/lib/models/manifest";
import { verifyModelFiles } from "@/lib/models/verify";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      manifest: { type: "string" },
      "no-verify": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npm run models:bom -- [--out FILE] [--manifest FILE] [--no-verify]");
    return 0;
  }
  const manifestFile = path.resolve(values.manifest ?? defaultManifestPath(getEnv()));
  const manifest = loadManifest(manifestFile);
  // Hash checks add each model's verification state; skip them for a quick listing.
  const checks = values["no-verify"] ? [] : await verifyModelFiles(manifest, path.dirname(manifestFile), { models: "all" });
  const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../package.json"), "utf8")) as { version?: string };
  const bom = buildMlBom(manifest, checks, { appVersion: pkg.version });
  const text = `${JSON.stringify(bom, null, 2)}\n`;
  if (values.out) {
    writeFileSync(values.out, text);
    console.error(`Wrote the ML-BOM of ${manifest.models.length} models to ${values.out}`);
  } else process.stdout.write(text);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ManifestError || err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
