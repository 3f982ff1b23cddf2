import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/db/queries/audit";
import { entry, manifestOf } from "@/test/support/models";
import { ManifestError } from "@/lib/models/manifest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { loadModelConfig, modelStartReport } from "./startup";

const dir = mkdtempSync(path.join(tmpdir(), "vouch-start-models-"));
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

const config = { POLICY_USE: "commercial" as const, POLICY_ALLOWED_LICENSES: undefined, POLICY_LOCALITY: "on-premises" as const };

describe("the start-up model check", () => {
  it("stops on a malformed manifest, a missing one, or a bad license setting, with the cause", () => {
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, '{\n  "version": 1,\n  "models": [\n    { "id": "x" }\n  ]\n}\n');
    expect(() => loadModelConfig(bad, config)).toThrow(ManifestError);
    expect(() => loadModelConfig(bad, config)).toThrow(/bad\.json:4:5: models\[0\]\.enabled \(model "x"\): is required \(expected boolean\)/);
    expect(() => loadModelConfig(path.join(dir, "none.json"), config)).toThrow(
      `The model manifest ${path.join(dir, "none.json")} does not exist. Set MODELS_DIR to the folder holding manifest.json.`,
    );
    const good = path.join(dir, "good.json");
    writeFileSync(good, JSON.stringify(manifestOf(entry({ id: "gen" }))));
    expect(() => loadModelConfig(good, { ...config, POLICY_ALLOWED_LICENSES: "MIT, MTI" })).toThrow(
      'POLICY_ALLOWED_LICENSES: "MTI" is not an SPDX license id or "LicenseRef-…"',
    );
  });

  it("seeds the policy and reports each role, naming refusals", async () => {
    writeFileSync(path.join(dir, "gen.gguf"), "weights");
    const sha256 = createHash("sha256").update("weights").digest("hex");
    const manifestFile = path.join(dir, "manifest.json");
    writeFileSync(
      manifestFile,
      JSON.stringify(manifestOf(entry({ id: "gen", files: [{ path: "gen.gguf", sha256, size: 7 }] }), entry({ id: "embed", role: "embedding", format: "onnx" }))),
    );
    const { manifest, seed } = loadModelConfig(manifestFile, { ...config, POLICY_ALLOWED_LICENSES: "MIT,apache-2.0" });
    expect(seed.allowedLicenses).toEqual(["MIT", "Apache-2.0"]);
    expect((await modelStartReport(t.db, { manifest, manifestFile, seed })).lines).toEqual([
      "Model policy version 1: use commercial, locality on-premises, 2 license(s) allowed.",
      "  generation: allowed (gen)",
      `  embedding: REFUSED. Model "embed" (embedding) is refused: its file embed.gguf is missing (looked for ${path.join(dir, "embed.gguf")}). Fix: run \`npm run models:pull -- embed\`.`,
    ]);
    const { rows } = await listAuditEvents(t.db, { filter: { action: "policy.models.seed" }, limit: 5, offset: 0 });
    expect(rows).toHaveLength(1);
  });

  it("names the enabled LoRA adapters the policy refuses, for npm start to keep them out of the model server", async () => {
    writeFileSync(path.join(dir, "base.gguf"), "weights");
    writeFileSync(path.join(dir, "lora.gguf"), "adapter");
    const file = (name: string, text: string) => ({ path: name, sha256: createHash("sha256").update(text).digest("hex"), size: text.length });
    const manifestFile = path.join(dir, "adapters.json");
    writeFileSync(
      manifestFile,
      JSON.stringify(
        manifestOf(
          entry({ id: "base", files: [file("base.gguf", "weights")] }),
          entry({ id: "gpl-lora", role: "adapter", baseModel: "base", license: { id: "GPL-3.0-only" }, files: [file("lora.gguf", "adapter")] }),
          entry({ id: "mit-lora", role: "adapter", baseModel: "base", files: [file("lora.gguf", "adapter")] }),
          entry({ id: "off-lora", role: "adapter", baseModel: "base", enabled: false, license: { id: "GPL-3.0-only" }, files: [file("lora.gguf", "adapter")] }),
        ),
      ),
    );
    const { manifest, seed } = loadModelConfig(manifestFile, config);
    const report = await modelStartReport(t.db, { manifest, manifestFile, seed });
    expect(report.refusedAdapters).toEqual(["gpl-lora"]);
    expect(report.lines.at(-1)).toBe("  LoRA adapter(s) gpl-lora refused: the local model server will not load them.");
  });

  it("reports the models configured on other servers by their served names", async () => {
    const manifestFile = path.join(dir, "served.json");
    const vllm = entry({ id: "qwen-vllm", format: "remote", files: [], served: { name: "Qwen/Qwen2.5-7B-Instruct", host: "self-hosted" } });
    writeFileSync(manifestFile, JSON.stringify(manifestOf(vllm)));
    const { manifest, seed } = loadModelConfig(manifestFile, config);
    const where = "the LLM server at http://gpu:8000/v1";
    const { lines } = await modelStartReport(t.db, {
      manifest,
      manifestFile,
      seed,
      served: [
        { role: "generation", name: "Qwen/Qwen2.5-7B-Instruct", where },
        { role: "embedding", name: "bge-m3", where: "the embeddings server at http://tei:8080/v1" },
      ],
    });
    expect(lines.slice(-2)).toEqual([
      `  generation in use: allowed (qwen-vllm, served as "Qwen/Qwen2.5-7B-Instruct" by ${where})`,
      '  embedding in use: REFUSED. The embedding model "bge-m3" served by the embeddings server at http://tei:8080/v1 is refused: no model of format "remote" in the model manifest is served under that name, so its license is not on record. Fix: add an entry with "format": "remote", "role": "embedding" and "served": { "name": "bge-m3", "host": "self-hosted" or "third-party" } with its license to models/manifest.json, and approve it in Admin › Models.',
    ]);
  });
});
