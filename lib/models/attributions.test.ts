import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectAttributions } from "./attributions";
import { loadManifest } from "./manifest";
import { entry, manifestOf } from "../../test/support/models";

describe("collectAttributions", () => {
  const manifest = manifestOf(
    entry({ id: "gen" }),
    entry({ id: "quiet", obligations: { attribution: null, useRestrictions: [] } }),
    entry({
      id: "restricted",
      enabled: false,
      license: { id: "LicenseRef-acme", name: "Acme Terms", url: "https://example.com/terms" },
      obligations: { attribution: "Acme model, © Acme.", useRestrictions: [{ text: "No weapons.", flags: ["acceptable-use-policy"], url: "https://example.com/aup" }] },
    }),
  );

  it("collects the notices of enabled models only, skipping licenses that need none", () => {
    expect(collectAttributions(manifest)).toEqual([
      { modelId: "gen", modelName: "gen", license: { id: "MIT", name: undefined, url: undefined }, text: "gen by Example, MIT License.", useRestrictions: [] },
    ]);
  });

  it("includes disabled models on request, with their use restrictions", () => {
    expect(collectAttributions(manifest, { includeDisabled: true }).map((a) => [a.modelId, a.text, a.useRestrictions])).toEqual([
      ["gen", "gen by Example, MIT License.", []],
      ["restricted", "Acme model, © Acme.", [{ text: "No weapons.", url: "https://example.com/aup" }]],
    ]);
  });

  it("gives the shipped models' notices, GloVe's included", () => {
    const shipped = loadManifest(path.resolve(import.meta.dirname, "../../models/manifest.json"));
    const notices = collectAttributions(shipped);
    expect(notices.map((a) => a.modelId)).toEqual(["wink-sif-100d", "stories260k", "vouch-risk-classifier"]);
    expect(notices[0]?.text).toContain("GloVe: Global Vectors for Word Representation");
    expect(notices[1]?.text).toBe(
      "stories260K by Andrej Karpathy (karpathy/tinyllamas, trained with llama2.c on TinyStories), MIT License; converted to GGUF by the llama.cpp project (MIT License).",
    );
  });
});
