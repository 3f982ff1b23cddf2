import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultManifestPath, loadManifest, ManifestError, parseManifest, type ManifestIssue } from "./manifest";

const SHA = "a".repeat(64);
// Line numbers in the comments are what the assertions below rely on.
const VALID = `{
  "version": 1,
  "models": [
    {
      "id": "tiny",
      "role": "generation",
      "format": "gguf",
      "enabled": true,
      "source": "hf:example/tiny",
      "files": [
        { "path": "tiny.gguf", "sha256": "${SHA}", "size": 10 }
      ],
      "license": { "id": "MIT" },
      "permits": { "commercialUse": true, "modification": true, "redistributionOfWeights": true, "redistributionOfDerivatives": true },
      "obligations": { "attribution": "tiny, MIT License.", "useRestrictions": [] },
      "locality": "any",
      "approval": null,
      "card": { "name": "tiny", "description": "A test model.", "intendedUse": "Tests." }
    }
  ]
}`;
// line 5: id, 6: role, 8: enabled, 11: the file, 13: license, 16: locality, 17: approval

function edit(find: string, replace: string, text = VALID): string {
  if (!text.includes(find)) throw new Error(`fixture edit: ${find} not found`);
  return text.replace(find, replace);
}

function issuesOf(text: string): Omit<ManifestIssue, "modelId">[] {
  try {
    parseManifest(text, "models/manifest.json");
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    return err.issues.map(({ line, column, field, message }) => ({ line, column, field, message }));
  }
  throw new Error("the manifest was accepted");
}

describe("parseManifest", () => {
  it("accepts a valid manifest and fills defaults", () => {
    const m = parseManifest(VALID, "models/manifest.json");
    expect(m.models[0]).toMatchObject({ id: "tiny", enabled: true, files: [{ path: "tiny.gguf", sha256: SHA, size: 10 }] });
    expect(m.models[0]?.card.limitations).toEqual([]);
  });

  it("names the file, line, column, field and model in the error message", () => {
    expect(() => parseManifest(edit(`"${SHA}"`, '"xyz"'), "models/manifest.json")).toThrow(
      'Invalid model manifest models/manifest.json:\n  models/manifest.json:11:32: models[0].files[0].sha256 (model "tiny"): must be 64 lowercase hex digits, or "unknown" while the hash is not recorded',
    );
  });

  it.each([
    {
      name: "a size that is a string",
      text: edit('"size": 10', '"size": "10"'),
      issues: [{ line: 11, column: 110, field: "models[0].files[0].size", message: 'must be a number, found the string "10"' }],
    },
    {
      name: "a role that does not exist",
      text: edit('"role": "generation"', '"role": "chat"'),
      issues: [{ line: 6, column: 7, field: "models[0].role", message: 'must be one of "embedding", "generation", "reranker", "adapter", "classifier"' }],
    },
    {
      name: "a misspelt field, reported where it is and where the real one is missing",
      text: edit('"enabled": true', '"enabeld": true'),
      issues: [
        { line: 4, column: 5, field: "models[0].enabled", message: "is required (expected boolean)" },
        { line: 8, column: 7, field: "models[0].enabeld", message: "is not a known field (check the spelling)" },
      ],
    },
    {
      name: "custom terms without a url",
      text: edit('"license": { "id": "MIT" }', '"license": { "id": "LicenseRef-acme", "name": "Acme Model License" }'),
      issues: [{ line: 13, column: 7, field: "models[0].license.url", message: "is required for custom terms (LicenseRef-acme)" }],
    },
    {
      name: "a license id that is not on the SPDX list",
      text: edit('"id": "MIT"', '"id": "MTI"'),
      issues: [
        {
          line: 13,
          column: 20,
          field: "models[0].license.id",
          message: '"MTI" is not an SPDX license id; use the SPDX id, or "LicenseRef-…" with name and url for custom terms',
        },
      ],
    },
    {
      name: "an SPDX id in the wrong case",
      text: edit('"id": "MIT"', '"id": "mit"'),
      issues: [{ line: 13, column: 20, field: "models[0].license.id", message: '"mit" must be spelt "MIT"' }],
    },
    {
      name: "an enabled model whose hash is unknown",
      text: edit(`"${SHA}"`, '"unknown"'),
      issues: [
        {
          line: 11,
          column: 32,
          field: "models[0].files[0].sha256",
          message: 'is "unknown" but model "tiny" is enabled; record the file\'s sha256 and size before enabling it',
        },
      ],
    },
    {
      name: "an adapter without a base model",
      text: edit('"role": "generation"', '"role": "adapter"'),
      issues: [{ line: 4, column: 5, field: "models[0].baseModel", message: "is required for an adapter" }],
    },
    {
      name: "a base model that is not in the manifest",
      text: edit('"locality": "any"', '"baseModel": "ghost",\n      "locality": "any"'),
      issues: [{ line: 16, column: 7, field: "models[0].baseModel", message: 'names "ghost", which is not a model in this manifest' }],
    },
    {
      name: "a remote model without its served name",
      text: edit('"format": "gguf"', '"format": "remote"'),
      issues: [
        {
          line: 4,
          column: 5,
          field: "models[0].served",
          message: 'is required for a model of format "remote": { "name": <the name the server serves it under>, "host": "self-hosted" | "third-party" }',
        },
      ],
    },
    {
      name: "a third-party service whose locality is not remote",
      text: edit('"format": "gguf"', '"format": "remote"', edit('"locality": "any"', '"locality": "any",\n      "served": { "name": "gpt-x", "host": "third-party" }')),
      issues: [{ line: 16, column: 7, field: "models[0].locality", message: 'must be "remote" for a model served by a third party (it runs off premises)' }],
    },
    {
      name: "a local model marked remote",
      text: edit('"locality": "any"', '"locality": "remote"'),
      issues: [
        {
          line: 16,
          column: 7,
          field: "models[0].locality",
          message: 'is "remote" only for a model of format "remote" served by a third party ("served": { "host": "third-party" })',
        },
      ],
    },
    {
      name: "a served name on a local model",
      text: edit('"locality": "any"', '"locality": "any",\n      "served": { "name": "x", "host": "self-hosted" }'),
      issues: [{ line: 17, column: 7, field: "models[0].served", message: 'is only for models of format "remote", not gguf' }],
    },
    {
      name: "a field given twice",
      text: edit('"approval": null', '"approval": null,\n      "approval": null'),
      issues: [{ line: 18, column: 7, field: "models[0].approval", message: "appears twice in the same object; keep one" }],
    },
    {
      name: "an unsupported manifest version",
      text: edit('"version": 1', '"version": 2'),
      issues: [{ line: 2, column: 3, field: "version", message: "must be 1" }],
    },
    {
      name: "invalid JSON",
      text: edit('"locality": "any",', '"locality": "any"'),
      issues: [{ line: 17, column: 7, field: "(syntax)", message: 'invalid JSON: expected "," or "}" in object, found "\\""' }],
    },
  ])("rejects $name with the line and field at fault", ({ text, issues }) => {
    expect(issuesOf(text)).toEqual(issues);
  });

  it("rejects two entries with the same id at the second one", () => {
    const entry = VALID.slice(VALID.indexOf("    {"), VALID.lastIndexOf("    }") + 5);
    const twice = edit(entry, `${entry},\n${entry}`);
    expect(issuesOf(twice)).toEqual([{ line: 21, column: 7, field: "models[1].id", message: 'duplicate model id "tiny"' }]);
  });

  it("accepts an unknown hash on a disabled entry", () => {
    const m = parseManifest(edit('"enabled": true', '"enabled": false', edit(`"${SHA}"`, '"unknown"')), "m.json");
    expect(m.models[0]?.files[0]?.sha256).toBe("unknown");
  });
});

describe("the shipped manifest", () => {
  const repoRoot = path.resolve(import.meta.dirname, "../..");
  const manifest = loadManifest(path.join(repoRoot, "models/manifest.json"));

  it("parses and lists the project's models", () => {
    expect(manifest.models.map((m) => [m.id, m.role, m.format, m.enabled])).toEqual([
      ["wink-sif-100d", "embedding", "onnx", true],
      ["stories260k", "generation", "gguf", true],
      ["vouch-risk-classifier", "classifier", "json", true],
      ["qwen2.5-1.5b-instruct-q4km", "generation", "gguf", false],
      ["bge-small-en-v1.5", "embedding", "onnx", false],
      ["llama-3.2-1b-instruct-q4km", "generation", "gguf", false],
      ["qwen2.5-7b-instruct-vllm", "generation", "remote", false],
      ["bge-small-en-v1.5-tei", "embedding", "remote", false],
    ]);
  });

  it("records stories260K's real hash and size, and no invented hashes for models not downloaded", () => {
    const stories = manifest.models.find((m) => m.id === "stories260k");
    expect(stories?.files).toEqual([
      {
        path: "stories260K.gguf",
        sha256: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
        size: 1185376,
      },
    ]);
    for (const id of ["qwen2.5-1.5b-instruct-q4km", "bge-small-en-v1.5", "llama-3.2-1b-instruct-q4km"]) {
      const m = manifest.models.find((x) => x.id === id);
      expect(m?.files.every((f) => f.sha256 === "unknown" && f.size === 0)).toBe(true);
    }
  });

  it("describes the Llama entry as custom terms with its restrictions", () => {
    const llama = manifest.models.find((m) => m.id === "llama-3.2-1b-instruct-q4km");
    expect(llama?.license).toEqual({
      id: "LicenseRef-llama3.2",
      name: "Llama 3.2 Community License Agreement",
      url: "https://www.llama.com/llama3_2/license/",
    });
    expect(llama?.obligations?.useRestrictions.map((r) => r.flags)).toEqual([["acceptable-use-policy"], ["user-cap"], ["naming"]]);
    expect(llama?.obligations?.useRestrictions[1]?.monthlyActiveUsersCap).toBe(700_000_000);
  });
});

describe("defaultManifestPath", () => {
  it("is manifest.json in MODELS_DIR", () => {
    expect(defaultManifestPath({ modelsDir: "/srv/vouch/models" })).toBe("/srv/vouch/models/manifest.json");
  });
});
