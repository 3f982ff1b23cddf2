/**
 * Admin › Models › From the catalogue: the manifest's hub models whose files are not
 * installed yet, with what an admin needs to choose one (size, license, whether the hashes
 * are pinned), the bytes an earlier attempt left staged, and hashes waiting for approval.
 * Plain data: it crosses into a client component.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { planPull, stagedBytes } from "@/lib/embeddings/pull";
import { AppError } from "@/lib/errors";
import { UNKNOWN_SHA256, type Manifest, type ModelEntry, type ModelRole } from "./manifest-schema";
import { licenseLabel } from "./policy-messages";
import type { RecordedHashes } from "./recorded-hashes";
import { modelIdSchema } from "./schemas";
import { isRecordedSha256 } from "./verify";

export const pullBodySchema = z.strictObject({ modelId: modelIdSchema });

export interface CatalogueItem {
  id: string;
  name: string;
  role: ModelRole;
  source: string;
  license: string | null;
  /** Bytes of all files; 0 when the manifest does not record every size. */
  size: number;
  /** Every file has a sha256 in the manifest, so the download is checked against it. */
  pinned: boolean;
  /** Bytes an earlier attempt left staged; a pull continues from them. */
  staged: number;
  /** Hashes a pull recorded for files the manifest has none for, waiting for approval. */
  recorded?: RecordedHashes;
}

/** Whether the page can pull an entry: files to fetch from a hub repository. */
export function isPullable(entry: ModelEntry): boolean {
  if (entry.format === "remote" || entry.files.length === 0) return false;
  try {
    planPull(entry);
    return true;
  } catch {
    return false;
  }
}

/** The manifest entry `modelId` if the page can pull it; otherwise a 404 that says why. */
export function pullableEntry(manifest: Manifest | null, modelId: string): ModelEntry {
  const entry = manifest?.models.find((m) => m.id === modelId);
  if (!entry || !isPullable(entry)) throw new AppError("not_found:models", `"${modelId}" is not in the catalogue: no manifest entry with that id has files on a model hub.`);
  return entry;
}

/** Every file is in the models folder, with the recorded size where there is one (hashes are the gate's to check). */
async function isInstalled(modelsDir: string, entry: ModelEntry): Promise<boolean> {
  const sizes = await Promise.all(entry.files.map((f) => fs.stat(path.join(modelsDir, f.path)).then((s) => (s.isFile() ? s.size : -1), () => -1)));
  return sizes.every((size, i) => size >= 0 && (entry.files[i]!.size === 0 || size === entry.files[i]!.size));
}

/** The catalogue in manifest order: pullable entries not installed yet, and those whose recorded hashes wait for approval. */
export async function catalogueItems(manifest: Manifest | null, modelsDir: string, recorded: Record<string, RecordedHashes>): Promise<CatalogueItem[]> {
  const items: CatalogueItem[] = [];
  for (const m of manifest?.models ?? []) {
    if (!isPullable(m)) continue;
    const waiting = m.files.some((f) => f.sha256 === UNKNOWN_SHA256) ? recorded[m.id] : undefined;
    if (!waiting && (await isInstalled(modelsDir, m))) continue;
    items.push({
      id: m.id,
      name: m.card.name,
      role: m.role,
      source: m.source,
      license: m.license ? licenseLabel(m.license) : null,
      size: m.files.every((f) => f.size > 0) ? m.files.reduce((n, f) => n + f.size, 0) : 0,
      pinned: m.files.every((f) => isRecordedSha256(f.sha256)),
      staged: await stagedBytes(modelsDir, m),
      ...(waiting ? { recorded: waiting } : {}),
    });
  }
  return items;
}
