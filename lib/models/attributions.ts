/**
 * The notices that the licenses of the models in use require us to show
 * (rendered on the About page).
 */
import type { Manifest } from "./manifest-schema";

/** One model's required notice and the restrictions that come with its license. */
export interface Attribution {
  modelId: string;
  modelName: string;
  license: { id: string; name?: string; url?: string };
  text: string;
  useRestrictions: { text: string; url?: string }[];
}

/**
 * Every attribution text required by the enabled models (or all models with
 * `includeDisabled`), in manifest order. Models whose license requires no
 * notice are left out; a model with no license on record cannot run, so it has none.
 */
export function collectAttributions(manifest: Manifest, options: { includeDisabled?: boolean } = {}): Attribution[] {
  const out: Attribution[] = [];
  for (const model of manifest.models) {
    if (!model.enabled && !options.includeDisabled) continue;
    const text = model.obligations?.attribution;
    if (!model.license || !text) continue;
    out.push({
      modelId: model.id,
      modelName: model.card.name,
      license: { id: model.license.id, name: model.license.name, url: model.license.url },
      text,
      useRestrictions: (model.obligations?.useRestrictions ?? []).map((r) => ({ text: r.text, url: r.url })),
    });
  }
  return out;
}
